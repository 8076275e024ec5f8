using System.Text;
using Newsletter.Tests.Infrastructure;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Api;

/// <summary>The CI use case against a real server: upload an issue's Markdown, render it, send it, follow and control the send.</summary>
public sealed class IssuesAndSendsApiTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task UploadingTheSameSlugTwiceCreatesThenReplaces()
    {
        var slug = NewSlug();

        var created = await UploadAsync(IssueText(slug, "First title"));
        var replaced = await UploadAsync(IssueText(slug, "Second title"));
        var read = await api.GetAsync(api.ReaderKey, $"/api/v1/issues/{slug}");

        Assert.Equal(201, created.Status);
        Assert.Equal(200, replaced.Status);
        Assert.Equal(created.Json.GetProperty("id").GetInt64(), replaced.Json.GetProperty("id").GetInt64());
        Assert.Equal("Second title", read.Json.GetProperty("title").GetString());
        Assert.Equal("draft", read.Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task TestCopiesAreQueuedAndArrive()
    {
        var slug = NewSlug();
        await UploadAsync(IssueText(slug, $"Tested {slug}"));

        var queued = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/issues/{slug}/test",
            new { to = new[] { $"Ann <ann-{slug}@example.com>", $"bob-{slug}@example.com" } });
        var listed = await api.GetAsync(api.ReaderKey, "/api/v1/issues");
        var bySend = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, test = new[] { $"cy-{slug}@example.com" } });
        var refused = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, test = Array.Empty<string>() });

        Assert.Equal(202, queued.Status);
        Assert.Equal(2, queued.Json.GetProperty("queued").GetArrayLength());
        Assert.NotNull(await api.App.Smtp.MailToAsync($"ann-{slug}@example.com", $"Tested {slug}"));
        Assert.NotNull(await api.App.Smtp.MailToAsync($"bob-{slug}@example.com", $"Tested {slug}"));
        Assert.Contains(listed.Json.EnumerateArray(), i => i.GetProperty("slug").GetString() == slug);
        Assert.Equal(202, bySend.Status);
        Assert.NotNull(await api.App.Smtp.MailToAsync($"cy-{slug}@example.com", $"Tested {slug}"));
        Assert.StartsWith("'' is not a list of email addresses", Assert.Single(refused.Errors("test")));
    }

    [Fact]
    public async Task MarkdownThatDoesNotReadIsRefusedWithTheCliMessage()
    {
        var answer = await UploadAsync("---\ntitle: [unclosed\n---\nBody\n");

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("body:", Assert.Single(answer.Errors("body")));
    }

    [Fact]
    public async Task AnIssueStreamedPastOneMegabyteIsTooLargeProblem()
    {
        using var chunked = new ChunkedContent(Encoding.UTF8.GetBytes(IssueText(NewSlug()) + new string('x', 1_100_000)));

        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/issues", content: chunked);

        Assert.Equal(413, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
    }

    [Fact]
    public async Task RenderIsWhatTheAuthorsPreviewShows()
    {
        var slug = NewSlug();
        var id = (await UploadAsync(IssueText(slug, "Rendered"))).Json.GetProperty("id").GetInt64();
        using var admin = api.App.CreateClient();
        await TestApp.LogInAsync(admin, TestApp.AdminUser, TestApp.AdminPassword);

        var rendered = await api.GetAsync(api.ReaderKey, $"/api/v1/issues/{id}/render");
        var preview = await admin.GetStringAsync($"/admin/issues/{id}/preview");

        Assert.Equal(200, rendered.Status);
        Assert.Equal("Notes: Rendered", rendered.Json.GetProperty("subject").GetString());
        Assert.Equal(preview, rendered.Json.GetProperty("html").GetString());
        Assert.Contains("Hi Sam,", rendered.Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task MarkReadyChangesTheState()
    {
        var slug = NewSlug();
        await UploadAsync(IssueText(slug));

        var ready = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/issues/{slug}/ready");

        Assert.Equal(200, ready.Status);
        Assert.Equal("ready", ready.Json.GetProperty("state").GetString());
        Assert.Equal(404, (await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/issues/no-such-issue/ready")).Status);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwiceMakesOneSend()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await api.App.Audience.SubscribeAsync($"reader-{slug}@example.com", list.Id);
        await UploadAsync(IssueText(slug));
        var once = new Dictionary<string, string> { ["Idempotency-Key"] = $"ci-run-{slug}" };
        var body = new { issue = slug, lists = new[] { list.Slug }, at = DateTimeOffset.UtcNow.AddDays(1) };

        var first = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", body, once);
        var retry = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", body, once);
        var otherBody = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends",
            new { issue = slug, lists = new[] { list.Slug }, resend = "all" }, once);

        Assert.Equal(201, first.Status);
        Assert.Equal(201, retry.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(422, otherBody.Status);
        Assert.Equal(1, await api.App.Audience.ScalarAsync<long>(
            "SELECT count(*) FROM sends s JOIN issues i ON i.id = s.issue_id WHERE i.slug = @slug", new { slug }));
    }

    [Fact]
    public async Task AnIdempotencyKeyStillInFlightIsAConflict()
    {
        var key = $"in-flight-{NewSlug()}";
        await api.App.Audience.ExecuteAsync(
            "INSERT INTO api_idempotency (api_key_id, idempotency_key, request_hash) SELECT id, @key, '\\x00' FROM api_keys WHERE name = 'ci'",
            new { key });

        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "in-flight", name = "In flight" },
            new Dictionary<string, string> { ["Idempotency-Key"] = key });

        Assert.Equal(409, answer.Status);
        Assert.Equal(0, await api.App.Audience.ScalarAsync<long>("SELECT count(*) FROM lists WHERE slug = 'in-flight'"));
    }

    [Fact]
    public async Task AnIdempotencyKeyOlderThanADayCountsNoMore()
    {
        var key = $"old-{NewSlug()}";
        await api.App.Audience.ExecuteAsync(
            "INSERT INTO api_idempotency (api_key_id, idempotency_key, request_hash, status_code, content_type, body, created_at) " +
            "SELECT id, @key, '\\x00', 201, 'application/json', '\\x7b7d', now() - interval '25 hours' FROM api_keys WHERE name = 'ci'",
            new { key });

        var answer = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/lists", new { slug = "after-a-day", name = "After a day" },
            new Dictionary<string, string> { ["Idempotency-Key"] = key });

        Assert.Equal(201, answer.Status);
        Assert.Equal("after-a-day", answer.Json.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneIdempotencyKeyMakeOneSend()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await UploadAsync(IssueText(slug));
        var once = new Dictionary<string, string> { ["Idempotency-Key"] = $"ci-{slug}" };
        var body = new { issue = slug, lists = new[] { list.Slug }, at = DateTimeOffset.UtcNow.AddDays(1) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", body, once)));

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { 201, 409 }));
        Assert.Equal(1, await api.App.Audience.ScalarAsync<long>(
            "SELECT count(*) FROM sends s JOIN issues i ON i.id = s.issue_id WHERE i.slug = @slug", new { slug }));
    }

    [Fact]
    public async Task ASendNowIsFollowedToFinishedWithItsRateAndWhatCameBack()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await api.App.Audience.SubscribeManyAsync(slug, 3, list.Id);
        await UploadAsync(IssueText(slug, $"Now {slug}"));

        var created = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, lists = new[] { list.Slug } });
        var id = created.Json.GetProperty("id").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        ApiAnswer progress;
        do
        {
            await Task.Delay(200);
            progress = await api.GetAsync(api.ReaderKey, $"/api/v1/sends/{id}");
        } while (progress.Json.GetProperty("status").GetString() != "finished" && DateTime.UtcNow < deadline);

        Assert.Equal(201, created.Status);
        Assert.Equal("finished", progress.Json.GetProperty("status").GetString());
        Assert.Equal(3, progress.Json.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.True(progress.Json.GetProperty("rate").GetDouble() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, progress.Json.GetProperty("etaSeconds").ValueKind);
        Assert.Equal(0, progress.Json.GetProperty("cameBack").GetProperty("hardBounces").GetInt64());

        // A bounce report read later, as the mailbox job records it.
        await api.App.Audience.ExecuteAsync("""
            INSERT INTO bounce_events (send_id, subscriber_id, kind, status, source)
            SELECT send_id, subscriber_id, 'hard', '5.1.1', 'bounce' FROM deliveries WHERE send_id = @id LIMIT 1
            """, new { id });
        var later = await api.GetAsync(api.ReaderKey, $"/api/v1/sends/{id}");
        Assert.Equal(1, later.Json.GetProperty("cameBack").GetProperty("hardBounces").GetInt64());
        Assert.Equal(0, later.Json.GetProperty("cameBack").GetProperty("complaints").GetInt64());
    }

    [Fact]
    public async Task ASendIsFollowedPausedResumedAndCancelled()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await UploadAsync(IssueText(slug));

        var created = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends",
            new { issue = slug, lists = new[] { list.Slug }, at = DateTimeOffset.UtcNow.AddHours(2) });
        var id = created.Json.GetProperty("id").GetInt64();
        var paused = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/sends/{id}/pause");
        var resumed = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/sends/{id}/resume");
        var cancelled = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/sends/{id}/cancel");
        var again = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/sends/{id}/resume");
        var progress = await api.GetAsync(api.ReaderKey, $"/api/v1/sends/{id}");
        var recent = await api.GetAsync(api.ReaderKey, "/api/v1/sends?limit=1");

        Assert.Equal("scheduled", created.Json.GetProperty("status").GetString());
        Assert.Equal("paused", paused.Json.GetProperty("status").GetString());
        Assert.Equal("scheduled", resumed.Json.GetProperty("status").GetString());
        Assert.Equal("cancelled", cancelled.Json.GetProperty("status").GetString());
        Assert.Equal(409, again.Status);
        Assert.Equal($"Send {id} is cancelled; it cannot be resumed from there. Nothing was changed.", again.Json.GetProperty("detail").GetString());
        Assert.Equal(0, progress.Json.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(id, recent.Json.GetProperty("sends")[0].GetProperty("id").GetInt64());
        Assert.Equal(404, (await api.GetAsync(api.ReaderKey, "/api/v1/sends/999999")).Status);
    }

    [Fact]
    public async Task RecentSendsArePagedByCursorNewestFirst()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await UploadAsync(IssueText(slug));
        foreach (var resend in new[] { "none", "all", "all" })
            await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends",
                new { issue = slug, lists = new[] { list.Slug }, at = DateTimeOffset.UtcNow.AddDays(1), resend });

        var ids = new List<long>();
        string? cursor = null;
        do
        {
            var page = await api.GetAsync(api.ReaderKey, "/api/v1/sends?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            ids.AddRange(page.Json.GetProperty("sends").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));
            cursor = page.Json.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(3, await api.App.Audience.ScalarAsync<long>(
            "SELECT count(*) FROM sends s JOIN issues i ON i.id = s.issue_id WHERE i.slug = @slug", new { slug }));
        Assert.Equal(400, (await api.GetAsync(api.ReaderKey, "/api/v1/sends?cursor=abc")).Status);
    }

    [Fact]
    public async Task ASendNowReachesTheReaderAndIsNotMadeTwice()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await api.App.Audience.SubscribeAsync($"now-{slug}@example.com", list.Id);
        await UploadAsync(IssueText(slug, "Sent now"));

        var created = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, lists = new[] { list.Slug } });
        var twice = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, lists = new[] { list.Slug } });

        Assert.Equal(201, created.Status);
        Assert.NotNull(await api.App.Smtp.MailToAsync($"now-{slug}@example.com", "Notes: Sent now"));
        Assert.Equal(409, twice.Status);
        Assert.Contains($"send {created.Json.GetProperty("id").GetInt64()}", twice.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SendRefusalsNameTheirField()
    {
        var slug = NewSlug();
        var list = await api.App.CreateListAsync(doubleOptIn: false);
        await UploadAsync(IssueText(slug));

        var noList = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, lists = Array.Empty<string>() });
        var unknown = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends", new { issue = slug, lists = new[] { "nowhere" } });
        var past = await api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/sends",
            new { issue = slug, lists = new[] { list.Slug }, at = DateTimeOffset.UtcNow.AddDays(-1) });
        var test = await api.CallAsync(api.WriterKey, HttpMethod.Post, $"/api/v1/issues/{slug}/test", new { to = new[] { "not-an-address" } });

        Assert.Equal(["A send needs at least one list."], noList.Errors("lists"));
        Assert.Equal(["No list with the slug 'nowhere'."], unknown.Errors("lists"));
        Assert.StartsWith("The send time", Assert.Single(past.Errors("at")));
        Assert.Equal(["'not-an-address' is not one email address."], test.Errors("to"));
    }

    private Task<ApiAnswer> UploadAsync(string markdown) => api.CallAsync(api.WriterKey, HttpMethod.Post, "/api/v1/issues",
        content: new StringContent(markdown, Encoding.UTF8, "text/markdown"));

    /// <summary>A body of no declared length, sent in chunks: only reading it shows how large it is.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/markdown");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
