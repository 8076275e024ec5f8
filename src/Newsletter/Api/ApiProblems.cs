using Microsoft.AspNetCore.Http;

namespace Newsletter.Api;

/// <summary>RFC 9457 problem details, the one shape of every API error; validation problems name the field.</summary>
public static class ApiProblems
{
    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>One field refused, in the words the CLI uses for it.</summary>
    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid", detail: "Nothing was changed.");
}
