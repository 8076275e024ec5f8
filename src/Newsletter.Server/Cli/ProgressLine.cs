namespace Newsletter.Server.Cli;

/// <summary>
/// A one-line progress bar on standard error, redrawn in place; silent when standard error is not a
/// terminal. <see cref="WriteLine"/> prints a message above it without tearing it.
/// </summary>
public sealed class ProgressLine(long total, string label) : IProgress<long>
{
    private const int Width = 30;
    private readonly bool _visible = !Console.IsErrorRedirected && total > 0;
    private readonly Lock _lock = new();
    private long _current;
    private DateTime _lastDraw;

    public void Report(long value)
    {
        lock (_lock)
        {
            _current = value;
            if (_visible && DateTime.UtcNow - _lastDraw > TimeSpan.FromMilliseconds(100))
                Draw();
        }
    }

    public void WriteLine(string message)
    {
        lock (_lock)
        {
            if (_visible)
                Console.Error.Write("\r\x1b[2K");
            Console.Error.WriteLine(message);
            if (_visible)
                Draw();
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (!_visible)
                return;
            _current = total;
            Draw();
            Console.Error.WriteLine();
        }
    }

    private void Draw()
    {
        _lastDraw = DateTime.UtcNow;
        var fraction = Math.Clamp((double)_current / total, 0, 1);
        var filled = (int)(fraction * Width);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}");
    }
}
