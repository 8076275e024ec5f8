using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Configuration;

public static class ConfigurationSetup
{
    /// <summary>Binds and validates the <c>Newsletter</c> and <c>Newsletter:Smtp</c> sections.</summary>
    public static IServiceCollection AddNewsletterOptions(this IServiceCollection services)
    {
        services.AddOptions<NewsletterOptions>().BindConfiguration(NewsletterOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Newsletter:PublicUrl must be an absolute http(s) URL, such as https://news.example.com.")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.Sender.Address, out _) && o.Sender.Address.Contains('@'),
                "Newsletter:Sender:Address must be one email address, such as news@example.com.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Sender.PostalAddress),
                "Newsletter:Sender:PostalAddress must be set: every mail shows the sender's postal address.")
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
