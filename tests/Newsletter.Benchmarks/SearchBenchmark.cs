using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;

namespace Newsletter.Benchmarks;

/// <summary>
/// <c>search</c>: N subscribers with varied addresses and names (one <c>INSERT … SELECT generate_series</c>), then
/// prefix searches through <see cref="SubscriberSearch"/> as `subscribers search` calls it: first pages by the
/// start of an address and by the start of a name (1 to 6 characters, cut from random subscribers), and the
/// page after each first page of the common one-letter prefixes.
/// </summary>
public static class SearchBenchmark
{
    public static async Task<BenchReport> RunAsync(BenchArguments arguments)
    {
        var subscribers = arguments.Int("subscribers");
        var searches = arguments.Int("searches");
        var limit = arguments.Int("limit");
        await using var database = await BenchDatabase.CreateAsync();
        await using var app = await BenchApp.StartAsync(database, runJobs: false, []);

        var fill = Stopwatch.StartNew();
        await FillAsync(database, subscribers);
        var fillSeconds = fill.Elapsed.TotalSeconds;

        var search = app.Services.GetRequiredService<SubscriberSearch>();
        var random = new Random(22);
        var emails = await SampleAsync(database, names: false, searches);
        var names = await SampleAsync(database, names: true, searches);
        string Prefix(string text) => text[..Math.Min(text.Length, 1 + random.Next(6))];

        // Unmeasured: the JIT, the connection pool and the statements' plans warm up as in a running server.
        foreach (var text in emails.Take(20).Concat(names.Take(20)))
            await search.SearchAsync(Prefix(text), null, limit);

        var byEmail = await TimeAsync(emails.Select(Prefix), text => search.SearchAsync(text, null, limit));
        var byName = await TimeAsync(names.Select(Prefix), text => search.SearchAsync(text, null, limit));
        var letters = Enumerable.Range(0, searches).Select(i => ((char)('a' + i % 26)).ToString()).ToList();
        var oneLetter = await TimeAsync(letters, text => search.SearchAsync(text, null, limit));
        var pagesAfter = new List<double>();
        var matches = 0L;
        foreach (var letter in letters)
        {
            var first = await search.SearchAsync(letter, null, limit);
            var clock = Stopwatch.StartNew();
            var second = await search.SearchAsync(letter, first.NextCursor, limit);
            pagesAfter.Add(clock.Elapsed.TotalMilliseconds);
            matches += first.Matches.Count + second.Matches.Count;
        }

        return new BenchReport("search")
            .Add("subscribers", subscribers)
            .Add("fill_s", fillSeconds, "INSERT … SELECT, then VACUUM ANALYZE")
            .Add("searches_each", searches, $"first pages of {limit}")
            .Add("email_median_ms", Percentile(byEmail, 0.5), "address starts with 1-6 characters of a random subscriber's")
            .Add("email_p95_ms", Percentile(byEmail, 0.95))
            .Add("email_max_ms", byEmail.Max())
            .Add("name_median_ms", Percentile(byName, 0.5), "name starts with 1-6 characters of a random subscriber's")
            .Add("name_p95_ms", Percentile(byName, 0.95))
            .Add("name_max_ms", byName.Max())
            .Add("one_letter_median_ms", Percentile(oneLetter, 0.5), "first page of 'a' … 'z', tens of thousands of matches each")
            .Add("one_letter_p95_ms", Percentile(oneLetter, 0.95))
            .Add("page_after_median_ms", Percentile(pagesAfter, 0.5), "second page of 'a' … 'z', by the cursor")
            .Add("page_after_p95_ms", Percentile(pagesAfter, 0.95))
            .Add("matches_seen", matches, "on the one-letter first and second pages");
    }

    /// <summary>
    /// Addresses <c>first.last123@domain</c> and names <c>First Last</c> from 60 first names, 60 last names and
    /// 8 domains, so that prefixes of one to a few letters match from hundreds to tens of thousands of people.
    /// </summary>
    private static async Task FillAsync(BenchDatabase database, int count)
    {
        await database.ExecuteScalarAsync("""
            WITH words AS (
                SELECT ARRAY['anna','ben','carla','david','elena','felix','greta','hugo','ida','jonas','karin','leo','maria','nils',
                             'olga','paul','quinn','rosa','sven','tara','uwe','vera','walter','xenia','yusuf','zoe','amir','bea',
                             'chen','dora','emil','fatima','georg','hanna','ivan','julia','kemal','lena','mats','nora','omar',
                             'petra','rafael','sara','timo','ulla','viktor','wanda','yara','zeno','adele','bruno','cleo','dino',
                             'eva','frank','gina','hans','iris','jan'] AS first_names,
                       ARRAY['smith','muller','garcia','rossi','novak','kim','nguyen','silva','jensen','ivanova','cohen','dubois',
                             'schmidt','lopez','bianchi','horvat','park','tran','santos','larsen','petrov','levi','martin','weber',
                             'fernandez','romano','kovac','lee','pham','costa','nielsen','popov','katz','bernard','fischer',
                             'gonzalez','ricci','babic','choi','le','oliveira','hansen','smirnov','friedman','thomas','wagner',
                             'rodriguez','greco','jovanovic','jung','vo','pereira','berg','volkov','adler','petit','becker',
                             'sanchez','conti','marx'] AS last_names,
                       ARRAY['example.com','mail.example.org','post.example.net','inbox.example.de','web.example.fr',
                             'example.co.uk','news.example.it','example.io'] AS domains
            )
            INSERT INTO subscribers (email, name, created_at)
            SELECT f || '.' || l || i || '@' || d,
                   initcap(f) || ' ' || initcap(l),
                   now() - make_interval(secs => i)
            FROM words, generate_series(1, @n::bigint) i,
                 LATERAL (SELECT first_names[1 + (i * 7919) % 60] AS f, last_names[1 + (i * 104729 / 60) % 60] AS l,
                                 domains[1 + i % 8] AS d) w
            """, ("n", count));
        await database.ExecuteScalarAsync("VACUUM (ANALYZE) subscribers");
        await database.ExecuteScalarAsync("CHECKPOINT");
    }

    /// <summary>The addresses (or names) of <paramref name="count"/> random subscribers.</summary>
    private static Task<string[]> SampleAsync(BenchDatabase database, bool names, int count) =>
        database.QueryTextsAsync(names
            ? "SELECT name FROM subscribers ORDER BY random() LIMIT @n"
            : "SELECT email FROM subscribers ORDER BY random() LIMIT @n", ("n", count));

    private static async Task<List<double>> TimeAsync(IEnumerable<string> texts, Func<string, Task<SubscriberSearchPage>> run)
    {
        var times = new List<double>();
        foreach (var text in texts)
        {
            var clock = Stopwatch.StartNew();
            await run(text);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }
}
