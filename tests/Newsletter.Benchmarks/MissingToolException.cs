namespace Newsletter.Benchmarks;

/// <summary>A program the scenario drives is not installed; the message says which and how to get it, in one line.</summary>
public sealed class MissingToolException(string message) : Exception(message);
