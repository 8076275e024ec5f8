namespace Newsletter.Preflight;

/// <summary>How a preflight line reads, from harmless to blocking; only <see cref="Fail"/> stops a send.</summary>
public enum PreflightVerdict
{
    Pass,

    /// <summary>Something to do outside the app, such as a DNS record to publish; nothing is wrong with the issue.</summary>
    Advice,

    Warn,

    /// <summary>Readers would get a broken or refused mail; a send to a list needs an override.</summary>
    Fail,
}
