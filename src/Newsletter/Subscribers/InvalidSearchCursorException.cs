namespace Newsletter.Subscribers;

/// <summary>A search cursor that no search handed out (edited, cut short); nothing was searched.</summary>
public sealed class InvalidSearchCursorException() : NewsletterException("The search cursor is not one a search returned.");
