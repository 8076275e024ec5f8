using MailKit.Security;
using Newsletter.Configuration;

namespace Newsletter.Mail;

internal static class SmtpSecurityExtensions
{
    /// <summary>
    /// MailKit's options for the relay. Auto with a password requires TLS: left to MailKit's Auto, a relay (or
    /// someone in between) that does not offer STARTTLS would get the password in clear. A relay on this
    /// machine without TLS is set with None.
    /// </summary>
    public static SecureSocketOptions ToMailKit(this SmtpOptions smtp) => smtp.Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ when !string.IsNullOrEmpty(smtp.User) && !smtp.AllowCredentialsWithoutTls => smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.Auto,
    };
}
