using System.Text.RegularExpressions;

namespace Newsletter.Benchmarks;

/// <summary>
/// What Postfix received, read from its maillog: the discard transport keeps nothing else. cleanup logs
/// one <c>message-id=&lt;…&gt;</c> line per message it took in.
/// </summary>
public sealed partial class PostfixLog(string path)
{
    private long _offset;

    public bool Exists => File.Exists(path);

    /// <summary>Starts counting from the log's current end.</summary>
    public void Mark() => _offset = Exists ? new FileInfo(path).Length : 0;

    /// <summary>Message-IDs with the given prefix logged since <see cref="Mark"/>, once the log has stopped growing.</summary>
    public async Task<Dictionary<string, int>> ReadSinceMarkAsync(string prefix)
    {
        long size;
        do
        {
            size = new FileInfo(path).Length;
            await Task.Delay(2000);
        }
        while (new FileInfo(path).Length != size);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(_offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
        {
            var match = MessageId().Match(line);
            if (match.Success && match.Groups[1].Value.StartsWith(prefix, StringComparison.Ordinal))
                counts[match.Groups[1].Value] = counts.GetValueOrDefault(match.Groups[1].Value) + 1;
        }
        return counts;
    }

    [GeneratedRegex(@"cleanup\[\d+\]: \w+: message-id=<([^>]+)>")]
    private static partial Regex MessageId();
}
