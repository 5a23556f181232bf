using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Messenger.Tests.Infrastructure;
using static Messenger.Tests.Api.OpenApiConformance;

namespace Messenger.Tests.Groups.Api;

/// <summary>The group routes and the group shapes of Message and Conversation, as real answers, match the OpenAPI document.</summary>
public sealed class GroupOpenApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri Url => fixture.BaseUrl;

    [Fact]
    public async Task Group_answers_and_errors_have_the_documented_statuses_and_shapes()
    {
        var document = await FetchAsync(Url);
        var users = await GroupCalls.UsersAsync(Url, 4);
        var (alice, bob, carol, stranger) = (users[0], users[1], users[2], users[3]);
        using var http = new HttpClient { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", alice.Token);

        var group = (await AssertDocumentedAsync(document, "/api/groups", "post",
            await http.PostAsJsonAsync("/api/groups", new { name = "Documented", members = new[] { bob.UserId } })))!;
        var id = (string)group["conversationId"]!;
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}", "get", await http.GetAsync($"/api/groups/{id}"));
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}", "patch",
            await http.PatchAsJsonAsync($"/api/groups/{id}", new { name = "Documented II" }));
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}/members", "post",
            await http.PostAsJsonAsync($"/api/groups/{id}/members", new { userId = carol.UserId }));
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}/admins", "post",
            await http.PostAsJsonAsync($"/api/groups/{id}/admins", new { userId = bob.UserId }));
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}/members/{userId}", "delete",
            await http.DeleteAsync($"/api/groups/{id}/members/{carol.UserId}"));
        await AssertDocumentedAsync(document, "/api/messages", "post",
            await http.PostAsJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), to = id, body = "hello group" }));

        // Message with kind and subject, Conversation with a null peer and a group, in every answer that carries them.
        var conversations = (await AssertDocumentedAsync(document, "/api/conversations", "get", await http.GetAsync("/api/conversations")))!;
        Assert.Contains(conversations["conversations"]!.AsArray(), c => c!["group"] is JsonObject && c["peer"] is null);
        var history = (await AssertDocumentedAsync(document, "/api/conversations/{conversationId}/messages", "get",
            await http.GetAsync($"/api/conversations/{id}/messages")))!;
        Assert.Contains(history["messages"]!.AsArray(), m => (string?)m!["kind"] == "member_removed" && (string?)m["subject"] == carol.UserId);
        await AssertDocumentedAsync(document, "/api/sync", "get", await http.GetAsync("/api/sync?after=0"));

        // Errors a client causes.
        await AssertDocumentedAsync(document, "/api/groups", "post",
            await http.PostAsJsonAsync("/api/groups", new { name = "", members = new[] { bob.UserId } }));
        await AssertDocumentedAsync(document, "/api/groups", "post",
            await http.PostAsJsonAsync("/api/groups", new { name = "x", members = new[] { ChatClient.NewName() } }));
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}", "get", await http.GetAsync("/api/groups/grp:nothing-here"));
        await AssertDocumentedAsync(document, "/api/messages", "post",
            await http.PostAsJsonAsync("/api/messages", new { clientMessageId = Guid.NewGuid(), to = "grp:nothing-here", body = "hi" }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.Token);
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}/admins", "post",
            await http.PostAsJsonAsync($"/api/groups/{id}/admins", new { userId = stranger.UserId }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", carol.Token);
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}/members/{userId}", "delete",
            await http.DeleteAsync($"/api/groups/{id}/members/{bob.UserId}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bob.Token);
        await AssertDocumentedAsync(document, "/api/groups/{conversationId}", "patch",
            await http.PatchAsJsonAsync($"/api/groups/{id}", new { name = new string('n', 101) }));
        http.DefaultRequestHeaders.Authorization = null;
        await AssertDocumentedAsync(document, "/api/groups", "post",
            await http.PostAsJsonAsync("/api/groups", new { name = "x", members = new[] { bob.UserId } }));
    }
}
