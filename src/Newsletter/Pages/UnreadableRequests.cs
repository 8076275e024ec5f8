using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Newsletter.Pages;

/// <summary>
/// Answers a request whose body cannot be read with a 4xx page that says why, whichever endpoint (or
/// library, such as the anti-forgery check of /login and /hangfire) was reading it. ASP.NET throws for a
/// form over its limits (1,024 fields, 2,048-character names), a multipart body without its boundary or
/// a body over the size limit; left alone, each of those was a 500 with an empty page.
/// </summary>
public static class UnreadableRequests
{
    public const string TooLarge = "The request is larger than this page accepts; a form needs only a few hundred bytes.";

    private const string Unreadable = "The form could not be read.";

    public static WebApplication UseUnreadableRequestAnswers(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            // The anti-forgery check reads the form too, and wraps what the form reader threw in its own exception;
            // its own refusals (a missing or expired token) are its to answer.
            catch (Exception e) when (e is InvalidDataException or AntiforgeryValidationException { InnerException: InvalidDataException }
                                      && !context.Response.HasStarted)
            {
                await Answer(StatusCodes.Status400BadRequest,
                    Unreadable + " It has too many fields, a field that is too long, or a multipart body without its boundary.").ExecuteAsync(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await Answer(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge
                    : "The request could not be read: " + e.Message).ExecuteAsync(context);
            }
        });
        return app;
    }

    private static IResult Answer(int status, string message) =>
        PageResults.Message(status, "Request not understood", message);
}
