namespace Newsletter.Rendering;

/// <summary>Model of <c>templates/email/Confirmation.cshtml</c>: the double opt-in mail.</summary>
public sealed class ConfirmationEmailModel : EmailModel
{
    public required string ConfirmUrl { get; init; }
}
