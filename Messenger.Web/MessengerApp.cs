using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Messenger.Node.Hosting;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Messenger.Node.Storage.Journal;
using Messenger.Web.Api;
using Messenger.Web.Attachments;
using Messenger.Web.Auth;
using Messenger.Web.Health;
using Messenger.Web.Metrics;
using Messenger.Web.RealTime;

namespace Messenger.Web;

/// <summary>
/// Builds the web node: HTTP API, WebSocket bridge, browser client; with the shard host in-process by default.
/// The composition root: the only place of the edge that knows the node's hosting and storage types.
/// </summary>
public static class MessengerApp
{
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls("http://localhost:5080");

        var options = builder.Configuration.GetSection("Messenger").Get<MessengerOptions>() ?? new MessengerOptions();
        builder.Services.AddMessengerNode(options);
        builder.Services.AddMessengerMetrics();
        builder.Services.AddMessengerOpenApi();

        var database = new JournalDatabase(options.JournalKind, options.ResolvedConnectionString, options.SqliteSynchronous);
        if (options.HasRole("shard")) await database.PrepareAsync();
        var key = await SigningKeyStore.LoadOrCreateAsync(options, database);
        builder.Services.AddMessengerAuth(new TokenIssuer(key, TimeSpan.FromHours(options.Auth.TokenLifetimeHours)), SignInSettingsOf(options));
        builder.Services.AddSingleton(sp =>
            new AccountRegion(ct => sp.GetRequiredService<IRequiredActor<UserAccounts>>().GetAsync(ct)));

        var sendDeadline = TimeSpan.FromSeconds(options.Inbox.SendDeadlineSeconds);
        // What is admitted must finish well inside the deadline: admission aims at a fifth of it.
        var admissionTarget = TimeSpan.FromMilliseconds(
            builder.Configuration.GetValue("Messenger:Admission:TargetLatencyMs", sendDeadline.TotalMilliseconds / 5));
        // Every request is answered by the send deadline (unavailable at the latest); the inbox's saga ends before it.
        builder.Services.AddSingleton(new EdgeTimeouts(sendDeadline, sendDeadline, SendDeadlines.ForInbox(sendDeadline)));
        builder.Services.AddSingleton(new SendRateLimiter(options.SendRate.PerSecond, options.SendRate.Burst));
        builder.Services.AddSingleton(new ConnectionRegistry(options.MaxConnections));
        builder.Services.AddSingleton(new SendAdmission(options.MaxSendsInFlight, admissionTarget));
        builder.Services.AddSingleton(sp =>
            new InboxRegion(ct => sp.GetRequiredService<IRequiredActor<UserInboxes>>().GetAsync(ct)));
        builder.Services.AddMessengerAttachments(database, builder.Configuration);
        builder.Services.AddSingleton(sp =>
            new GroupRegion(ct => sp.GetRequiredService<IRequiredActor<GroupChats>>().GetAsync(ct)));
        builder.Services.AddSingleton<GroupGateway>();
        builder.Services.AddSingleton<InboxGateway>();
        builder.Services.AddSingleton(new BridgeSettings(
            builder.Configuration.GetValue("Messenger:WebSocket:PushBuffer", DeviceStage.DefaultPushBuffer)));
        builder.Services.AddSingleton(sp => new LiveDevices(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton(sp => new JournalProbe(options.HasRole("shard")
            ? ct => JournalStorage.Get(sp.GetRequiredService<ActorSystem>()).For(database).ProbeWriteAsync(ct)
            : null));
        builder.Services.AddSingleton<IMaterializer>(sp => sp.GetRequiredService<ActorSystem>().Materializer());
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = RequestReading.MaxRequestBytes;
            k.Limits.MaxConcurrentConnections = options.MaxConnections + 1000;
            k.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections + 100;
            k.ConfigureEndpointDefaults(listen => listen.UseErrorBodiesForRejectedRequests());
        });

        var app = builder.Build();
        app.UseContractErrorBodies();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapMessengerOpenApi();
        app.MapMessengerMetrics();
        app.MapAuthEndpoints();
        app.MapMessageEndpoints();
        app.MapConversationEndpoints();
        app.MapPresenceEndpoints();
        app.MapAttachmentEndpoints();
        app.MapReceiptEndpoints();
        app.MapGroupEndpoints();
        app.MapWebSocketEndpoint();
        return app;
    }

    private static SignInSettings SignInSettingsOf(MessengerOptions options) => new()
    {
        ClientBurst = options.SignIn.ClientBurst,
        ClientPerMinute = options.SignIn.ClientPerMinute,
        RejectPauseSeconds = options.SignIn.RejectPauseSeconds,
        HashQueue = options.SignIn.HashQueue,
        HashQueuePerClient = options.SignIn.HashQueuePerClient,
        HashWaitSeconds = options.SignIn.HashWaitSeconds,
        TrustedProxies = options.SignIn.TrustedProxies,
    };
}
