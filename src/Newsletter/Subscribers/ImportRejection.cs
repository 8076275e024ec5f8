namespace Newsletter.Subscribers;

/// <summary>A row that was not imported: the line of the file where it starts (the header is line 1) and why.</summary>
public sealed record ImportRejection(long Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}
