using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;
using Messenger.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Messenger.Tests.Api.OpenApiConformance;

namespace Messenger.Tests.Api;

/// <summary>
/// GET /openapi/v1.json against the running messenger: served without a token, covering every mapped route (so
/// endpoints added later are checked too), with the bearer scheme where a token is needed, and with answer shapes
/// that real answers match.
/// </summary>
public sealed class OpenApiDocumentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] DescribedPrefixes = ["/api", "/health", "/openapi"];

    private Uri Url => fixture.BaseUrl;

    private IReadOnlyList<RouteEndpoint> DescribedRoutes() =>
        fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => DescribedPrefixes.Any(p => e.RoutePattern.RawText!.StartsWith(p, StringComparison.Ordinal)))
            .ToList();

    [Fact]
    public async Task The_document_is_OpenAPI_3_served_without_a_token_and_other_names_are_contract_404s()
    {
        using var http = new HttpClient { BaseAddress = Url };
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        Assert.Equal("Messenger", document["info"]!["title"]!.GetValue<string>());

        // Outside every rate limit, a global limiter added later included, and open to anonymous callers.
        var endpoint = DescribedRoutes().Single(r => r.RoutePattern.RawText == "/openapi/v1.json");
        Assert.NotNull(endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>());
        Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());

        foreach (var other in new[] { "/openapi/v2.json", "/openapi/v1.json?documentName=internal" })
        {
            using var missing = await http.GetAsync(other);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("not_found", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_api_health_and_openapi_route_is_in_the_document()
    {
        var document = await FetchAsync(Url);
        var routes = DescribedRoutes();
        Assert.Contains(routes, r => r.RoutePattern.RawText == "/api/messages");
        var missing = new List<string>();
        foreach (var route in routes)
        {
            var methods = MethodsOf(route);
            if (methods.Count == 0) missing.Add($"{route.RoutePattern.RawText} maps no HTTP method (use MapGet/MapPost/...)");
            foreach (var method in methods.Where(m => Operation(document, PathOf(route), m) is null))
                missing.Add($"{method.ToUpperInvariant()} {PathOf(route)} is not in the document (a RequestDelegate handler needs .Describe)");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task Every_operation_has_a_name_a_summary_a_success_and_error_bodies_with_their_codes()
    {
        var document = await FetchAsync(Url);
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, node) in item!.AsObject())
        {
            var operation = node!.AsObject();
            var name = $"{method.ToUpperInvariant()} {path}";
            // The fix for each: the chain in Messenger.Web/Api/OpenApiMetadata.cs (.Describe, .Answers, .Fails).
            if (string.IsNullOrEmpty(operation["operationId"]?.GetValue<string>())) problems.Add($"{name} has no name (Describe)");
            if (string.IsNullOrEmpty(operation["summary"]?.GetValue<string>())) problems.Add($"{name} has no summary (Describe)");
            if (operation["tags"] is not JsonArray { Count: > 0 }) problems.Add($"{name} has no tag (Describe)");
            var responses = operation["responses"]!.AsObject();
            if (!responses.Any(r => r.Key.StartsWith('2'))) problems.Add($"{name} documents no success (Answers/AnswersEmpty)");
            foreach (var (status, answer) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = answer!["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                if (schema is not ("#/components/schemas/ErrorBody" or "#/components/schemas/NotReady"))
                    problems.Add($"{name} {status} has no error body (Fails)");
                var description = answer["description"]?.GetValue<string>() ?? "";
                if (!OpenApiSchemas.ContractCodes.Any(code => description.StartsWith(code, StringComparison.Ordinal)))
                    problems.Add($"{name} {status} names no contract code (Fails): '{description}'");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Operations_that_need_a_token_name_the_bearer_scheme_and_open_ones_do_not()
    {
        var document = await FetchAsync(Url);
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        var open = new List<string>();
        foreach (var route in DescribedRoutes())
        {
            var needsToken = route.Metadata.GetMetadata<IAuthorizeData>() is not null && route.Metadata.GetMetadata<IAllowAnonymous>() is null;
            foreach (var method in MethodsOf(route))
            {
                var operation = Operation(document, PathOf(route), method)!;
                var security = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
                Assert.True(needsToken == security.Contains("bearer"), $"{method} {PathOf(route)}: token needed {needsToken}, security [{string.Join(",", security)}]");
                if (!needsToken) open.Add($"{method} {PathOf(route)}");
                else Assert.NotNull(operation["responses"]!["401"]);
            }
        }
        Assert.Contains("post /api/auth/signin", open);
        Assert.Contains("get /openapi/v1.json", open);
        Assert.Contains("get /health/ready", open);
    }

    [Fact]
    public async Task Real_answers_have_the_documented_statuses_and_shapes()
    {
        var document = await FetchAsync(Url);
        using var http = new HttpClient { BaseAddress = Url };
        var name = ChatClient.NewName();
        var signedUp = await AssertDocumentedAsync(document, "/api/auth/signup", "post",
            await http.PostAsJsonAsync("/api/auth/signup", new { username = name, password = "correct horse" }));
        var signedIn = await AssertDocumentedAsync(document, "/api/auth/signin", "post",
            await http.PostAsJsonAsync("/api/auth/signin", new { username = name, password = "correct horse" }));
        Assert.Equal(name, signedIn!["userId"]!.GetValue<string>());
        using var bob = await ChatClient.SignUpAsync(Url);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedUp!["token"]!.GetValue<string>());

        var upload = new ByteArrayContent("a small file"u8.ToArray());
        upload.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var attachment = await AssertDocumentedAsync(document, "/api/attachments", "post",
            await http.PostAsync("/api/attachments?name=note.txt", upload));
        await AssertDocumentedAsync(document, "/api/messages", "post",
            await http.PostAsJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), to = bob.UserId, body = "hello",
                attachments = new[] { attachment!["attachmentId"]!.GetValue<string>() } }));
        await bob.SendAsync(name, "hi back");
        var conversationId = ChatClient.Dm(name, bob.UserId);
        await AssertDocumentedAsync(document, "/api/conversations", "get", await http.GetAsync("/api/conversations"));
        var page = await AssertDocumentedAsync(document, "/api/conversations/{conversationId}/messages", "get",
            await http.GetAsync($"/api/conversations/{conversationId}/messages?limit=1"));
        Assert.NotNull(page!["nextBefore"]);
        var synced = await AssertDocumentedAsync(document, "/api/sync", "get", await http.GetAsync("/api/sync?after=0"));
        Assert.Contains(synced!["events"]!.AsArray(), m => m!["attachments"] is JsonArray { Count: 1 });
        await AssertDocumentedAsync(document, "/api/received", "post",
            await http.PostAsJsonAsync("/api/received", new { upTo = synced["nextAfter"]!.GetValue<long>() }));
        await AssertDocumentedAsync(document, "/api/conversations/{conversationId}/read", "post",
            await http.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { upTo = page["nextBefore"]!.GetValue<string>() }));
        await AssertDocumentedAsync(document, "/api/users/{username}", "get", await http.GetAsync($"/api/users/{bob.UserId}"));
        await AssertDocumentedAsync(document, "/health/ready", "get", await http.GetAsync("/health/ready"));
        await AssertDocumentedAsync(document, "/health/live", "get", await http.GetAsync("/health/live"));

        // Errors a client causes: each is a documented status of its operation, with the ErrorBody shape.
        await AssertDocumentedAsync(document, "/api/messages", "post",
            await http.PostAsync("/api/messages", new StringContent("{not json", Encoding.UTF8, "application/json")));
        await AssertDocumentedAsync(document, "/api/messages", "post",
            await http.PostAsJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), to = ChatClient.NewName(), body = "anyone?" }));
        await AssertDocumentedAsync(document, "/api/conversations", "get", await http.GetAsync("/api/conversations?limit=0"));
        await AssertDocumentedAsync(document, "/api/users/{username}", "get", await http.GetAsync($"/api/users/{ChatClient.NewName()}"));
        await AssertDocumentedAsync(document, "/api/conversations/{conversationId}/messages", "get",
            await http.GetAsync($"/api/conversations/{ChatClient.Dm(bob.UserId, ChatClient.NewName())}/messages"));
        await AssertDocumentedAsync(document, "/api/auth/signup", "post",
            await http.PostAsJsonAsync("/api/auth/signup", new { username = name, password = "correct horse" }));
        await AssertDocumentedAsync(document, "/api/received", "post", await http.PostAsJsonAsync("/api/received", new { upTo = "7" }));
        await AssertDocumentedAsync(document, "/api/attachments/{attachmentId}", "get", await http.GetAsync($"/api/attachments/{Guid.NewGuid()}"));
        http.DefaultRequestHeaders.Authorization = null;
        await AssertDocumentedAsync(document, "/api/sync", "get", await http.GetAsync("/api/sync"));
    }
}
