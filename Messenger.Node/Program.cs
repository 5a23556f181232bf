using Messenger.Node.Hosting;
using Messenger.Node.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Headless shard host: holds user inboxes and accounts, no HTTP. Web nodes (Messenger.Web with
// Messenger:Cluster:Roles=web) reach its entities through shard region proxies.
// Configuration: appsettings.json beside the binary, Messenger__* variables, --Messenger:* arguments.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
var options = builder.Configuration.GetSection("Messenger").Get<MessengerOptions>() ?? new MessengerOptions();
if (builder.Configuration["Messenger:Cluster:Roles"] is null) options.Cluster.Roles = "shard";
// SIGTERM: the host stops, Akka.Hosting runs CoordinatedShutdown (leave the cluster, hand shards over) before exit.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));

builder.Services.AddMessengerNode(options);
if (options.HasRole("shard"))
    await new JournalDatabase(options.JournalKind, options.ResolvedConnectionString).PrepareAsync();

using var host = builder.Build();
await host.RunAsync();
