using Messenger.Web;

var app = await MessengerApp.BuildAsync(args);
await app.RunAsync();
