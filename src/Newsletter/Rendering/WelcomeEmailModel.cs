namespace Newsletter.Rendering;

/// <summary>Model of <c>templates/email/Welcome.cshtml</c>: sent once a subscription is confirmed.</summary>
public sealed class WelcomeEmailModel : EmailModel
{
    /// <summary>Where past issues can be read.</summary>
    public required string ArchiveUrl { get; init; }

    /// <summary>The list the reader joined.</summary>
    public required string SubscribedList { get; init; }
}
