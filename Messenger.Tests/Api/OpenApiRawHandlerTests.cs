using System.Net;
using Messenger.Tests.Infrastructure;
using Messenger.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Messenger.Tests.Api.OpenApiConformance;

namespace Messenger.Tests.Api;

/// <summary>
/// The document setup with handlers the generator can see nothing of (a RequestDelegate, a lambda taking only
/// HttpContext, a streamed upload): the document still builds, and describes each with the metadata it was given
/// (a RequestDelegate handler appears once it is given a Describe).
/// </summary>
public sealed class OpenApiRawHandlerTests
{
    [Fact]
    public async Task Raw_HttpContext_handlers_are_described_from_their_metadata()
    {
        var url = new Uri($"http://127.0.0.1:{MessengerServer.FreePort()}");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Services.AddMessengerOpenApi();
        await using var app = builder.Build();
        app.MapMessengerOpenApi();
        app.MapGet("/api/raw-delegate", (RequestDelegate)(context => context.Response.WriteAsync("raw")))
            .Describe("RawDelegate", "A RequestDelegate", "raw");
        app.MapGet("/api/undescribed", (RequestDelegate)(context => context.Response.WriteAsync("raw")));
        app.MapGet("/api/raw-lambda/{id}", (HttpContext context) => context.Response.WriteAsync("raw"))
            .Describe("RawLambda", "A handler that reads everything itself", "raw")
            .WithQuery("limit", "how many").Answers<OpenApiShapes.Sent>().Fails("not_found");
        app.MapPost("/api/raw-upload", async (HttpContext context) => await context.Request.Body.CopyToAsync(Stream.Null))
            .Describe("RawUpload", "Bytes in, nothing out", "raw").TakesBytes().AnswersEmpty(201);
        await app.StartAsync();

        var document = await FetchAsync(url);
        Assert.Equal("RawDelegate", Operation(document, "/api/raw-delegate", "get")!["operationId"]!.GetValue<string>());
        // Without a description the generator cannot see it (OpenApiDocumentTests fails for such a route of the app).
        Assert.Null(Operation(document, "/api/undescribed", "get"));
        var lambda = Operation(document, "/api/raw-lambda/{id}", "get")!;
        Assert.Equal("RawLambda", lambda["operationId"]!.GetValue<string>());
        Assert.Contains(lambda["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "limit" && p["in"]!.GetValue<string>() == "query");
        Assert.Equal("#/components/schemas/Sent", ResponseSchema(document, "/api/raw-lambda/{id}", "get", 200)["$ref"]!.GetValue<string>());
        Assert.StartsWith("not_found", lambda["responses"]!["404"]!["description"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/ErrorBody", ResponseSchema(document, "/api/raw-lambda/{id}", "get", 404)["$ref"]!.GetValue<string>());
        var upload = Operation(document, "/api/raw-upload", "post")!;
        Assert.NotNull(upload["requestBody"]!["content"]!["application/octet-stream"]);
        Assert.NotNull(upload["responses"]!["201"]);

        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/raw-delegate")).StatusCode);
        await app.StopAsync();
    }
}
