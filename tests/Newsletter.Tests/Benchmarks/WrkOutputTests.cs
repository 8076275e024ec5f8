using Newsletter.Benchmarks;

namespace Newsletter.Tests.Benchmarks;

public sealed class WrkOutputTests
{
    private const string Summary = """
        Running 15s test @ http://127.0.0.1:40000/unsubscribe
          2 threads and 8 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     4.10ms    7.92ms 210.33ms   96.12%
            Req/Sec     1.20k   301.44     1.71k    71.00%
          Latency Distribution
             50%    2.25ms
             75%    3.90ms
             90%    7.02ms
             99%    1.20s
          35900 requests in 15.02s, 121.33MB read
          Non-2xx or 3xx responses: 17
          Socket errors: connect 0, read 2, write 0, timeout 5
        Requests/sec:   2391.02
        Transfer/sec:      8.08MB
        wrk-cpu 3.10 4.08
        """;

    [Fact]
    public void SummaryGivesRateLatenciesInMillisecondsAndFailures()
    {
        var result = Wrk.Parse(Summary);

        Assert.Equal(2391.02, result.RequestsPerSecond);
        Assert.Equal(35900, result.Requests);
        Assert.Equal(2.25, result.P50Ms);
        Assert.Equal(1200, result.P99Ms);
        Assert.Equal(17, result.Non2xx);
        Assert.Equal(7, result.SocketErrors);
        Assert.Equal(200, result.WrkUs!.Value, 6);
    }

    [Fact]
    public void CleanRunHasNoFailures()
    {
        var clean = string.Join('\n', Summary.Split('\n').Where(line => !line.Contains("Non-2xx") && !line.Contains("Socket errors") && !line.Contains("wrk-cpu")));

        var result = Wrk.Parse(clean.Replace("99%    1.20s", "99%  850.00us", StringComparison.Ordinal));

        Assert.Equal(0, result.Non2xx);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0.85, result.P99Ms, 6);
        Assert.Null(result.WrkUs);
    }

    [Fact]
    public void OutputWithoutSummaryIsAnError()
    {
        Assert.Throws<InvalidOperationException>(() => Wrk.Parse("unable to connect to 127.0.0.1:1 Connection refused"));
    }
}
