using System.Reflection;
using System.Runtime.CompilerServices;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Server;
using Newsletter.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Tests.Storage;

/// <summary>
/// One async convention in the library and the server: a <c>CancellationToken cancellationToken = default</c>
/// last, passed on to the database, so that a caller that gives up stops the work it started.
/// </summary>
public sealed class CancellationConventionTests : IAsyncLifetime
{
    // Shapes fixed from outside, or work no single caller owns.
    private static readonly HashSet<string> Exempt =
    [
        // The lease renewal loop started by the constructor; disposing ends it.
        "Newsletter.Sending.LeasedDeliveries.RenewAsync",
        // The outcome writer's flush loop, likewise.
        "Newsletter.Sending.OutcomeWriter.RunAsync",
        // ASP.NET Core's endpoint filter delegate; the request's token is in the invocation context.
        "Newsletter.Subscribers.SubscriptionPages.LimitBodyAsync",
        "Newsletter.Authoring.AuthoringPages.LimitBodyAsync",
        "Newsletter.Authoring.AuthoringPages.RequireFormTokenAsync",
        // Middleware, Hangfire's dashboard dispatchers and what they call with the request: its token is in the context.
        "Newsletter.Operations.MetricsEndpoint.GuardAsync",
        "Newsletter.Operations.ScrapeAccess.AllowsAsync",
        "Newsletter.Operations.SendsDashboard.ListAsync",
        "Newsletter.Operations.SendsDashboard.ShowAsync",
        "Newsletter.Operations.SendsDashboard.FiguresAsync",
        "Newsletter.Operations.DashboardFrame.WriteAsync",
        // The API's filter and guard (the request's token is in the context), and AuthenticationHandler's overrides.
        "Newsletter.Api.ApiWrites.RunOnceAsync",
        "Newsletter.Api.ApiWrites.RenderAsync",
        "Newsletter.Api.ApiSetup.GuardAsync",
        "Newsletter.Api.ApiKeyAuthentication.HandleAuthenticateAsync",
        "Newsletter.Api.ApiKeyAuthentication.HandleChallengeAsync",
        "Newsletter.Api.ApiKeyAuthentication.HandleForbiddenAsync",
        // The one shared compilation behind a Lazy; CompileAsync's token stops a caller's wait for it.
        "Newsletter.Rendering.MailRenderer.CompileAllAsync",
    ];

    private string _connectionString = "";
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(CancellationConventionTests));
        _database = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void EveryAsyncMethodTakesAnOptionalCancellationTokenLast()
    {
        var offenders = new[] { typeof(SendStore).Assembly, typeof(AppHost).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => !type.IsDefined(typeof(CompilerGeneratedAttribute)) && !type.IsInterface)
            .SelectMany(type => OwnAsyncMethods(type).Select(method => (type, method)))
            .Where(m => !Exempt.Contains($"{m.type.FullName}.{m.method.Name}"))
            .Where(m => m.method.GetParameters() is not [.., { Name: "cancellationToken", IsOptional: true } last]
                        || last.ParameterType != typeof(CancellationToken))
            .Select(m => $"{m.type.FullName}.{m.method.Name}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public async Task StoresStopWhenTheCallerHasGivenUp()
    {
        var (listId, sendId) = await new TestAudience(_connectionString).CreateFrozenSendAsync("given-up", 3);
        var deliveries = new DeliveryStore(_database);
        var sends = new SendStore(_database, deliveries);
        var schedules = new ScheduleStore(_database);
        using var givenUp = new CancellationTokenSource();
        await givenUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sends.ListSendsAsync(givenUp.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sends.StatusAsync(sendId, givenUp.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => sends.TrySetStatusAsync(sendId, SendStatus.Paused, null, [SendStatus.Sending], givenUp.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => deliveries.ClaimAsync(sendId, [listId], 3, TimeSpan.FromMinutes(1), givenUp.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deliveries.RecoverExpiredAsync(givenUp.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => schedules.GetAsync("weekly-given-up", givenUp.Token));

        // Nothing was claimed or changed: the same calls without a token still find the send as it was.
        Assert.Equal(SendStatus.Sending, await sends.StatusAsync(sendId));
        Assert.Equal(3, (await deliveries.ClaimAsync(sendId, [listId], 3, TimeSpan.FromMinutes(1))).Count);
    }

    private static IEnumerable<MethodInfo> OwnAsyncMethods(Type type)
    {
        // Interface members keep the interface's shape (DisposeAsync, IHostedService, RazorLight's compiler).
        var implementing = type.GetInterfaces()
            .SelectMany(i => type.GetInterfaceMap(i).TargetMethods)
            .ToHashSet();
        return type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static |
                               BindingFlags.DeclaredOnly)
            .Where(m => !m.IsDefined(typeof(CompilerGeneratedAttribute)) && !m.Name.Contains('<') && !implementing.Contains(m))
            .Where(m => IsAwaitable(m.ReturnType));
    }

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) ||
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>));
}
