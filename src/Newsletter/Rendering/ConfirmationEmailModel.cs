namespace Newsletter.Rendering;

/// <summary>Model of <c>templates/email/Confirmation.cshtml</c>: the double opt-in mail.</summary>
public sealed class ConfirmationEmailModel : EmailModel
{
    public required string ConfirmUrl { get; init; }

    /// <summary>The list the reader is confirming, which may not be the newsletter's name.</summary>
    public required string SubscribedList { get; init; }

    /// <summary>When the link stops working, as the reader should read it (UTC).</summary>
    public required string LinkExpires { get; init; }
}
