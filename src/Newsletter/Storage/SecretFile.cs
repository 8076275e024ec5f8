namespace Newsletter.Storage;

/// <summary>
/// Files that hold a secret or a server's access rules: created owner-only, so never readable by others even
/// for a moment, and written beside their place then renamed, so a crash leaves the old file or the new one,
/// never a part.
/// </summary>
internal static class SecretFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>; <paramref name="beforeRename"/> gets the
    /// finished temporary file (to change its owner). Without <paramref name="overwrite"/>, an existing file
    /// stays and IOException is thrown.
    /// </summary>
    public static async Task WriteAsync(string path, string content, bool overwrite, Func<string, Task>? beforeRename = null,
        CancellationToken cancellationToken = default)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            await using (var writer = new StreamWriter(new FileStream(temporary, options)))
                await writer.WriteAsync(content.AsMemory(), cancellationToken);
            if (beforeRename is not null)
                await beforeRename(temporary);
            File.Move(temporary, path, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
