namespace Newsletter.Server.Cli;

/// <summary>
/// A progress bar on standard error. On a terminal it is one line redrawn in place; when standard
/// error is a file or a pipe it is a plain line at every tenth of the way, so a log holds no
/// carriage returns. <see cref="WriteLine"/> prints a message above it without tearing it.
/// </summary>
public sealed class ProgressLine(long total, string label) : IProgress<long>
{
    private const int Width = 30;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private long _current;
    private string _detail = "";
    private DateTime _lastDraw;
    private int _tenthsShown = -1;
    private bool _finished;

    public void Report(long value) => Report(value, _detail);

    /// <summary>Moves the bar; <paramref name="detail"/> follows the percentage (counts, rate).</summary>
    public void Report(long value, string detail)
    {
        lock (_lock)
        {
            _current = value;
            _detail = detail;
            if (total <= 0 || _finished)
                return;
            if (_terminal && DateTime.UtcNow - _lastDraw > TimeSpan.FromMilliseconds(100))
                Draw();
            else if (!_terminal && Tenths > _tenthsShown)
                WritePlain();
        }
    }

    public void WriteLine(string message)
    {
        lock (_lock)
        {
            if (_terminal && total > 0)
                Console.Error.Write("\r\x1b[2K");
            Console.Error.WriteLine(message);
            if (_terminal && total > 0 && !_finished)
                Draw();
        }
    }

    /// <summary>Draws the bar at its final value and ends its line.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (total <= 0 || _finished)
                return;
            if (_terminal)
            {
                Draw();
                Console.Error.WriteLine();
            }
            else if (Tenths > _tenthsShown)
            {
                WritePlain();
            }
            _finished = true;
        }
    }

    private double Fraction => Math.Clamp((double)_current / total, 0, 1);

    private string Percent => $"{Math.Floor(Fraction * 100):0}%";

    private int Tenths => (int)(Fraction * 10);

    private string Suffix => _detail.Length == 0 ? "" : $"  {_detail}";

    private void Draw()
    {
        _lastDraw = DateTime.UtcNow;
        var filled = (int)(Fraction * Width);
        Console.Error.Write($"\r\x1b[2K{label} [{new string('#', filled)}{new string('.', Width - filled)}] {Percent,4}{Suffix}");
    }

    private void WritePlain()
    {
        _tenthsShown = Tenths;
        Console.Error.WriteLine($"{label} {Percent}{Suffix}");
    }
}
