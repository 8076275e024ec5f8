using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Mail;

public static class MailSetup
{
    /// <summary>Building one message (headers, DKIM) and handing a single one to the relay.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        // Every outgoing message is built, and DKIM-signed when configured, by this one builder.
        services.AddSingleton(sp =>
        {
            var dkim = sp.GetRequiredService<IOptions<DkimOptions>>();
            return new IssueMessageBuilder(sp.GetRequiredService<IOptions<NewsletterOptions>>().Value,
                dkim.Value.Enabled ? new DkimSigning(dkim) : null);
        });
        services.AddSingleton<TransactionalMailer>();
        return services;
    }
}
