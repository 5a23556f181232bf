using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Messenger.Node.Accounts;
using Messenger.Node.Groups;
using Messenger.Node.Inbox;
using Messenger.Node.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Messenger.Node.Hosting;

/// <summary>Configures the actor system of a Messenger node, in small steps: HOCON, network, journal, entities.</summary>
public static class MessengerAkka
{
    public const string SystemName = "messenger";

    /// <summary>Adds the Messenger actor system, the journal database and the inbox archive to the services.</summary>
    public static IServiceCollection AddMessengerNode(this IServiceCollection services, MessengerOptions options)
    {
        if (options.JournalKind == JournalKind.Sqlite) Directory.CreateDirectory(options.DataDir);
        var database = new JournalDatabase(options.JournalKind, options.ResolvedConnectionString, options.SqliteSynchronous);
        services.AddSingleton(options);
        services.AddSingleton(database);
        services.AddSingleton<IInboxArchive>(sp => new InboxArchive(database, sp.GetRequiredService<ActorSystem>()));
        services.AddAkka(SystemName, (builder, sp) => builder
            .AddMessengerHocon(options, database)
            .AddMessengerNetwork(options)
            .AddMessengerEntities(options, sp));
        return services;
    }

    public static AkkaConfigurationBuilder AddMessengerHocon(
        this AkkaConfigurationBuilder builder, MessengerOptions options, JournalDatabase database)
    {
        var profile = database.Kind == JournalKind.Sqlite ? "sqlite.conf" : "postgresql.conf";
        // Later Prepends win, so the most specific settings go last.
        return builder
            .AddHocon(Hocon("serialization.conf"), HoconAddMode.Prepend)
            .AddHocon(Hocon("messenger.conf"), HoconAddMode.Prepend)
            .AddHocon(Hocon(profile), HoconAddMode.Prepend)
            .AddHocon(JournalConnection(database), HoconAddMode.Prepend);
    }

    /// <summary>The database of the journal and snapshot store plugins (hocon/sqlite.conf, hocon/postgresql.conf).</summary>
    public static Config JournalConnection(JournalDatabase database) => ConfigurationFactory.ParseString($"""
        akka.persistence.journal.messenger.connection-string = {Quote(database.ConnectionString)}
        akka.persistence.journal.messenger.sqlite-synchronous = {database.SqliteSynchronous}
        akka.persistence.snapshot-store.messenger.connection-string = {Quote(database.ConnectionString)}
        akka.persistence.snapshot-store.messenger.sqlite-synchronous = {database.SqliteSynchronous}
        """);

    public static AkkaConfigurationBuilder AddMessengerNetwork(this AkkaConfigurationBuilder builder, MessengerOptions options)
    {
        var cluster = options.Cluster;
        var seeds = cluster.SeedNodes
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => $"akka.tcp://{SystemName}@{s}")
            .ToArray();
        builder
            .WithRemoting(cluster.Hostname, cluster.Port)
            .WithClustering(new ClusterOptions
            {
                Roles = cluster.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                SeedNodes = seeds.Length > 0 ? seeds : null,
            });
        if (seeds.Length == 0)
        {
            // No seeds: this node is a cluster of its own (the single-node default), whatever port it got.
            builder.AddStartup((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress));
        }
        return builder;
    }

    public static AkkaConfigurationBuilder AddMessengerEntities(
        this AkkaConfigurationBuilder builder, MessengerOptions options, IServiceProvider services)
    {
        var settings = new SendSettings
        {
            Deadline = SendDeadlines.ForInbox(TimeSpan.FromSeconds(options.Inbox.SendDeadlineSeconds)),
            RecentWindow = options.Inbox.RecentWindow,
            SnapshotEvery = options.Inbox.SnapshotEvery,
            PassivateAfter = TimeSpan.FromSeconds(options.Inbox.PassivateAfterSeconds),
        };
        var shards = options.Cluster.Shards;
        // Session changes are published to every node (token caches); the mediator must run before the first one.
        builder.AddStartup((system, _) => DistributedPubSub.Get(system));
        if (options.HasRole("shard"))
        {
            // Commands that reach a stopped inbox are answered unavailable at once (Inbox/LostCommands).
            builder.AddStartup((system, _) => system.ActorOf(LostCommands.Props(), "lost-commands"));
            var shardOptions = new ShardOptions
            {
                Role = "shard",
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                ShouldPassivateIdleEntities = false,
            };
            builder
                .WithShardRegion<UserInboxes>("inbox",
                    (_, registry) => userId => UserInbox.Props(
                        userId, registry.Get<UserInboxes>(),
                        registry.TryGet<GroupChats>(out var groups) ? groups : ActorRefs.Nobody,
                        services.GetRequiredService<IInboxArchive>(), settings),
                    new UserInboxExtractor(shards), shardOptions)
                .WithShardRegion<UserAccounts>("account",
                    (_, _) => username => UserAccount.Props(username, options.SignIn),
                    new UserAccountExtractor(shards), shardOptions)
                .WithShardRegion<GroupChats>("group",
                    (_, registry) => groupId => GroupChat.Props(groupId, registry.Get<UserInboxes>(), new GroupSettings()),
                    new GroupExtractor(shards), GroupShardOptions());
        }
        else
        {
            builder
                .WithShardRegionProxy<UserInboxes>("inbox", "shard", new UserInboxExtractor(shards))
                .WithShardRegionProxy<UserAccounts>("account", "shard", new UserAccountExtractor(shards))
                .WithShardRegionProxy<GroupChats>("group", "shard", new GroupExtractor(shards));
        }
        return builder;
    }

    /// <summary>
    /// Groups are remembered (in the journal, like their events): a group whose node died while it owed copies is
    /// started again on its new node without anyone touching it, and resumes its fan-outs. A group passivates when
    /// idle (GroupChat), which also forgets it. Inboxes are not remembered: a client's next command wakes them.
    /// </summary>
    private static ShardOptions GroupShardOptions() => new()
    {
        Role = "shard",
        StateStoreMode = StateStoreMode.DData,
        RememberEntities = true,
        RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
        ShouldPassivateIdleEntities = false,
    };

    private static Config Hocon(string file) =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", file)));

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
