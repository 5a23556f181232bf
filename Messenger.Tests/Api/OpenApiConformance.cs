using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Messenger.Tests.Api;

/// <summary>
/// Reads the served OpenAPI document the way a client author's tools do: finds an operation by path and method,
/// and checks a real JSON answer against the schema the document gives for its status (declared fields only,
/// required fields present, types and enums honoured).
/// </summary>
public static partial class OpenApiConformance
{
    public static async Task<JsonObject> FetchAsync(Uri baseUrl)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The document's path for a route: constraints, defaults and catch-all marks dropped.</summary>
    public static string PathOf(RouteEndpoint endpoint) =>
        Parameter().Replace(endpoint.RoutePattern.RawText!, m => "{" + m.Groups[1].Value + "}");

    public static IReadOnlyList<string> MethodsOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => m.ToLowerInvariant()).ToList() ?? [];

    public static JsonObject? Operation(JsonObject document, string path, string method) =>
        document["paths"]?[path]?[method]?.AsObject();

    public static JsonNode ResponseSchema(JsonObject document, string path, string method, int status)
    {
        var operation = Operation(document, path, method) ?? throw new Xunit.Sdk.XunitException($"{method} {path} is not in the document");
        var response = operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)]
                       ?? throw new Xunit.Sdk.XunitException($"{method} {path} documents no {status} answer");
        return response["content"]?["application/json"]?["schema"]
               ?? throw new Xunit.Sdk.XunitException($"{method} {path} {status} has no JSON schema");
    }

    /// <summary>Asserts a real answer has the documented status and shape; returns its body.</summary>
    public static async Task<JsonNode?> AssertDocumentedAsync(JsonObject document, string path, string method,
        HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        if (body is null)
        {
            Assert.NotNull(Operation(document, path, method)?["responses"]?[status.ToString(CultureInfo.InvariantCulture)]);
            return null;
        }
        var problems = Mismatches(document, ResponseSchema(document, path, method, status), body, "$").ToList();
        Assert.True(problems.Count == 0, $"{method} {path} {status}: {string.Join("; ", problems)}\n{text}");
        return body;
    }

    public static JsonObject Resolve(JsonObject document, JsonNode schema)
    {
        var reference = schema["$ref"]?.GetValue<string>();
        if (reference is null) return schema.AsObject();
        var name = reference["#/components/schemas/".Length..];
        return document["components"]!["schemas"]![name]!.AsObject();
    }

    public static IEnumerable<string> Mismatches(JsonObject document, JsonNode schemaNode, JsonNode? value, string at)
    {
        var schema = Resolve(document, schemaNode);
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true) yield return $"{at} is null";
            yield break;
        }
        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    yield return $"{at} is not an object";
                    yield break;
                }
                var properties = schema["properties"]?.AsObject() ?? [];
                foreach (var required in schema["required"]?.AsArray() ?? [])
                    if (!obj.ContainsKey(required!.GetValue<string>())) yield return $"{at}.{required} is missing";
                foreach (var (name, child) in obj)
                {
                    if (properties[name] is not { } declared) yield return $"{at}.{name} is not documented";
                    else foreach (var problem in Mismatches(document, declared, child, $"{at}.{name}")) yield return problem;
                }
                break;
            case "array":
                if (value is not JsonArray items)
                {
                    yield return $"{at} is not an array";
                    yield break;
                }
                for (var i = 0; i < items.Count; i++)
                    foreach (var problem in Mismatches(document, schema["items"]!, items[i], $"{at}[{i}]")) yield return problem;
                break;
            case "string":
                if (value is not JsonValue text || !text.TryGetValue<string>(out var s)) yield return $"{at} is not a string";
                else if (schema["enum"] is JsonArray allowed && allowed.All(a => a!.GetValue<string>() != s)) yield return $"{at} '{s}' is not in its enum";
                else if (schema["format"]?.GetValue<string>() == "date-time" && !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, out _))
                    yield return $"{at} '{s}' is not a date-time";
                break;
            case "integer":
                if (value is not JsonValue number || !number.TryGetValue<long>(out _)) yield return $"{at} is not an integer";
                break;
            case "boolean":
                if (value is not JsonValue flag || !flag.TryGetValue<bool>(out _)) yield return $"{at} is not a boolean";
                break;
        }
    }

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex Parameter();
}
