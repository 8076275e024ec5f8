namespace Newsletter.Subscribers;

/// <summary>
/// A valid row of an import file, ready to stage: a checked address, a clean name, the other columns as
/// one JSON object, and where the row's status columns put the person.
/// </summary>
/// <param name="Line">The line of the file where the row starts (the header is line 1).</param>
/// <param name="SuppressReason">Why to suppress the address, when <paramref name="Standing"/> is <see cref="ImportStatus.Standing.Suppressed"/>.</param>
public readonly record struct ImportRow(
    long Line, string Email, string Name, string AttributesJson, ImportStatus.Standing Standing, string? SuppressReason);
