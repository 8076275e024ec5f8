namespace Newsletter.Jobs;

/// <summary>Hangfire queue names. Transactional mail has workers of its own so a bulk send never delays it.</summary>
public static class JobQueues
{
    public const string Transactional = "transactional";
    public const string Default = "default";
    public const string Bulk = "bulk";
}
