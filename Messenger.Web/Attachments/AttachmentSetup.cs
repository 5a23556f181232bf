using Messenger.Node.Attachments;
using Messenger.Node.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Messenger.Web.Attachments;

/// <summary>Wires the attachment store, its sweep, thumbnails and the download's <c>?access_token=</c>.</summary>
public static class AttachmentSetup
{
    public static IServiceCollection AddMessengerAttachments(this IServiceCollection services, JournalDatabase database, IConfiguration configuration)
    {
        var section = configuration.GetSection("Messenger:Attachments");
        var defaults = AttachmentSettings.Default;
        var settings = new AttachmentSettings(
            TimeSpan.FromSeconds(section.GetValue("UncarriedLifetimeSeconds", defaults.UncarriedLifetime.TotalSeconds)),
            TimeSpan.FromSeconds(Math.Max(1, section.GetValue("SweepEverySeconds", defaults.SweepEvery.TotalSeconds))),
            section.GetValue("ThumbnailConcurrency", defaults.ThumbnailConcurrency));
        services.AddSingleton(settings);
        services.AddSingleton(new AttachmentStore(database));
        services.AddSingleton(sp => new Thumbnails(sp.GetRequiredService<AttachmentStore>(), settings.ThumbnailConcurrency));
        services.AddSingleton<AttachmentAccess>();
        services.AddSingleton<SendAttachments>();
        services.AddHostedService<AttachmentSweeper>();

        // <img src> cannot set headers: downloads take ?access_token= as the WebSocket does.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.Events ??= new JwtBearerEvents();
            var inner = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async ctx =>
            {
                await inner(ctx);
                if (ctx.Token is null && ctx.Request.Path.StartsWithSegments("/api/attachments")
                    && (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
                    && ctx.Request.Query.TryGetValue("access_token", out var token))
                    ctx.Token = token;
            };
        });
        return services;
    }
}
