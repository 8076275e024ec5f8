using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Newsletter.Configuration;

public static class ConfigurationSetup
{
    /// <summary>
    /// Binds every <c>Newsletter</c> section, blank optional settings as unset, and validates them all at
    /// start: a bad value stops the start with a message naming its key.
    /// </summary>
    public static IServiceCollection AddNewsletterOptions(this IServiceCollection services)
    {
        Bind<NewsletterOptions>(services, NewsletterOptions.Section)
            .Validate(o => Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Newsletter:PublicUrl must be an absolute http(s) URL, such as https://news.example.com.")
            // Bare: the From header is built from Sender:Name and this, and MimeKit refuses "Name <address>" there.
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.Sender.Address, out var from) && from.Address == o.Sender.Address
                           && o.Sender.Address.Contains('@'),
                "Newsletter:Sender:Address must be one email address, such as news@example.com.")
            .Validate(o => o.Sender.ReplyTo is null || (MimeKit.MailboxAddress.TryParse(o.Sender.ReplyTo, out _) && o.Sender.ReplyTo.Contains('@')),
                "Newsletter:Sender:ReplyTo must be empty or one email address.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Sender.Name),
                "Newsletter:Sender:Name must be set: it is the From name of every mail.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Sender.PostalAddress),
                "Newsletter:Sender:PostalAddress must be set: every mail shows the sender's postal address.");
        Bind<SmtpOptions>(services, SmtpOptions.Section)
            .Validate(o => o.Password is null || o.User is not null,
                "Newsletter:Smtp:Password is set without Newsletter:Smtp:User.")
            .Validate(o => !o.SendsCredentialsInClear,
                "Newsletter:Smtp:Security is None while Newsletter:Smtp:User is set for a relay not on this machine: the " +
                "password would be sent in clear. Set Newsletter:Smtp:Security to StartTls or SslOnConnect, or " +
                "Newsletter:Smtp:AllowCredentialsWithoutTls to true if the network to the relay is private.");
        Bind<AdminOptions>(services, AdminOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.User) && !string.IsNullOrWhiteSpace(o.OpsUser) && o.User != o.OpsUser,
                "Newsletter:Admin:User and Newsletter:Admin:OpsUser must be set and differ.");
        Bind<RenderingOptions>(services, RenderingOptions.Section)
            .Validate(o => o.TemplatesPath is null || Directory.Exists(o.TemplatesPath),
                "Newsletter:Rendering:TemplatesPath names a folder that does not exist.");
        Bind<SendingOptions>(services, SendingOptions.Section);
        Bind<DkimOptions>(services, DkimOptions.Section)
            .Validate(o => o.Enabled || (o.Domain, o.Selector, o.PrivateKeyPath) == (null, null, null),
                "Newsletter:Dkim needs Domain, Selector and PrivateKeyPath together (or none of them, to send unsigned).")
            .Validate(o => !o.Enabled || File.Exists(o.PrivateKeyPath),
                "Newsletter:Dkim:PrivateKeyPath names a file that does not exist.")
            // Checked now, not at the first signature of the first send.
            .Validate(o => !o.Enabled || !File.Exists(o.PrivateKeyPath) || HoldsRsaPrivateKey(o.PrivateKeyPath!),
                "Newsletter:Dkim:PrivateKeyPath holds no PEM RSA private key.");
        Bind<SubscribersOptions>(services, SubscribersOptions.Section)
            .Validate(o => o.TokenKeys.All(k => k.Key is >= 1 and <= 255 && IsKey(k.Value)),
                "Newsletter:Subscribers:TokenKeys: each key id must be 1-255 and each key base64 of at least 32 bytes (openssl rand -base64 32).")
            .Validate(o => !o.RetireGeneratedTokenKey || o.TokenKeys.Count > 0,
                "Newsletter:Subscribers:RetireGeneratedTokenKey needs a key in Newsletter:Subscribers:TokenKeys to sign new links with.");
        Bind<JobsOptions>(services, JobsOptions.Section);
        Bind<HealthOptions>(services, HealthOptions.Section);
        Bind<PreflightOptions>(services, PreflightOptions.Section);
        Bind<MetricsOptions>(services, MetricsOptions.Section);
        Bind<AlertsOptions>(services, AlertsOptions.Section)
            .Validate(o => o.Email is null || (MimeKit.MailboxAddress.TryParse(o.Email, out _) && o.Email.Contains('@')),
                "Newsletter:Alerts:Email must be empty or one email address.");
        Bind<ApiOptions>(services, ApiOptions.Section);
        Bind<BouncesOptions>(services, BouncesOptions.Section)
            .Validate(o => o.Address is null || (MimeKit.MailboxAddress.TryParse(o.Address, out var bounce)
                                                 && bounce.Address == o.Address && o.Address.Contains('@') && !o.Address.Contains('+')),
                "Newsletter:Bounces:Address must be empty or one email address without a '+', such as bounces@example.com.")
            .Validate(o => o.Mailbox.Host is null || (o.Mailbox.User is not null && o.Mailbox.Password is not null),
                "Newsletter:Bounces:Mailbox needs User and Password with Host.")
            .Validate(o => o.Webhooks.SnsCertificatePath is null || File.Exists(o.Webhooks.SnsCertificatePath),
                "Newsletter:Bounces:Webhooks:SnsCertificatePath names a file that does not exist.")
            .Validate(o => o.Webhooks.SnsCertificatePath is null || o.Webhooks.SnsTopicArns.Length > 0,
                "Newsletter:Bounces:Webhooks:SnsCertificatePath needs SnsTopicArns:0, the topic SES publishes to: SNS signs every account's topics alike.")
            .Validate(o => o.Webhooks.PostmarkUser is null || o.Webhooks.PostmarkPassword is not null,
                "Newsletter:Bounces:Webhooks:PostmarkUser needs PostmarkPassword.");
        Bind<ProxyOptions>(services, ProxyOptions.Section)
            .Validate(o => !o.Invalid.Any(),
                "Newsletter:Proxy:Addresses holds an entry that is neither an IP address nor a network such as 10.0.0.0/24.");
        return services;
    }

    private static OptionsBuilder<TOptions> Bind<TOptions>(IServiceCollection services, string section) where TOptions : class
    {
        var builder = services.AddOptions<TOptions>().BindConfiguration(section).BlankMeansUnset();
        services.AddSingleton<IValidateOptions<TOptions>>(new KeyedAnnotations<TOptions>(section));
        builder.ValidateOnStart();
        return builder;
    }

    private static bool IsKey(string? base64)
    {
        var bytes = new byte[((base64?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64 ?? "", bytes, out var written) && written >= 32;
    }

    private static bool HoldsRsaPrivateKey(string path)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException
                                      or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
