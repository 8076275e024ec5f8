using System.Diagnostics;
using System.Reflection;

namespace Newsletter.Server;

/// <summary>How to start one of this app's .NET programs as a child process, however the parent was started.</summary>
public static class ProgramCommand
{
    /// <summary>
    /// The program's apphost when the parent is that program running as one, else <c>dotnet program.dll</c>
    /// (with the parent's own <c>dotnet</c> when it has one). Arguments are the caller's to add.
    /// </summary>
    public static ProcessStartInfo For(Assembly program)
    {
        var path = program.Location;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(path))
            return new ProcessStartInfo(process) { UseShellExecute = false };
        var dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false };
        start.ArgumentList.Add(path);
        return start;
    }
}
