using Newsletter.Benchmarks;

namespace Newsletter.Tests.Benchmarks;

public sealed class CrashSnapshotTests
{
    private static CrashSnapshot At(Dictionary<long, int> copies, params long[] recorded) =>
        new(copies, recorded.ToHashSet(), copies.Values.Sum());

    [Fact]
    public void AKillIsChargedWithTheUnrecordedCopiesThatWereSentAgain()
    {
        var kill = At(new() { [1] = 1, [2] = 1, [3] = 1 }, 1);
        var end = At(new() { [1] = 1, [2] = 2, [3] = 2 }, 1, 2, 3);

        Assert.Equal(2, CrashSnapshot.DuplicatesCaused(CrashSnapshot.Empty, kill, end));
        Assert.Equal(2, kill.UnrecordedSince(CrashSnapshot.Empty));
    }

    [Fact]
    public void ACopyLeftUnrecordedBySeveralKillsIsChargedToTheFirst()
    {
        // Recipient 5 got its copy before kill 1 and was not sent again until after kill 2.
        var first = At(new() { [5] = 1 });
        var second = At(new() { [5] = 1, [6] = 1 }, 6);
        var end = At(new() { [5] = 2, [6] = 1 }, 5, 6);

        Assert.Equal(1, CrashSnapshot.DuplicatesCaused(CrashSnapshot.Empty, first, end));
        Assert.Equal(0, CrashSnapshot.DuplicatesCaused(first, second, end));
        Assert.Equal(0, second.UnrecordedSince(first));
    }

    [Fact]
    public void ACopySentAgainAndLostAgainIsChargedToEachKill()
    {
        var first = At(new() { [7] = 1 });
        var second = At(new() { [7] = 2 });
        var end = At(new() { [7] = 3 }, 7);

        Assert.Equal(1, CrashSnapshot.DuplicatesCaused(CrashSnapshot.Empty, first, end));
        Assert.Equal(1, CrashSnapshot.DuplicatesCaused(first, second, end));
        Assert.Equal(2, end.Duplicates);
    }
}
