using Messenger.Messages.Chat;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Messenger.Web.Api;

/// <summary>
/// Completes each generated operation from its endpoint's metadata: the bearer requirement where a token is needed,
/// the query parameters handlers read themselves, and every error response with its contract codes. What every
/// endpoint of a kind can answer is added here, so endpoints mapped by anyone get it: 401 where a token is needed,
/// 429 behind a rate limit, 503 everywhere (an unexpected failure is <c>unavailable</c>, never a 500).
/// </summary>
public static class OpenApiOperations
{
    public const string BearerScheme = "bearer";

    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        UniqueOperationId(operation, context, metadata);
        var needsToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (needsToken && context.Document is { } document) RequireBearer(operation, document);
        AddQueryParameters(operation, metadata.OfType<QueryParameter>());

        var errors = metadata.OfType<ContractErrors>().SelectMany(e => e.Codes.Select(code => (Status: e.StatusOf(code), Code: code))).ToList();
        if (needsToken) errors.Add((401, ErrorCodes.Unauthorized));
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) errors.Add((429, ErrorCodes.RateLimited));
        errors.Add((503, ErrorCodes.Unavailable));
        await DescribeErrorsAsync(operation, context, errors.Distinct().ToList(), ct);
    }

    /// <summary>
    /// One endpoint mapped for several methods (GET and HEAD) has one name; operation ids must differ, so every
    /// method but the first gets its name appended (DownloadAttachment, DownloadAttachmentHead).
    /// </summary>
    private static void UniqueOperationId(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata)
    {
        var methods = metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods;
        var method = context.Description.HttpMethod;
        if (operation.OperationId is not { } id || methods is not { Count: > 1 } || method is null) return;
        if (string.Equals(methods[0], method, StringComparison.OrdinalIgnoreCase)) return;
        operation.OperationId = id + char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();
    }

    private static void RequireBearer(OpenApiOperation operation, OpenApiDocument document)
    {
        if (document.Components?.SecuritySchemes?.ContainsKey(BearerScheme) != true)
        {
            document.AddComponent(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The token from sign-up, sign-in or a password change: Authorization: Bearer <token>.",
            });
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
    }

    private static void AddQueryParameters(OpenApiOperation operation, IEnumerable<QueryParameter> parameters)
    {
        foreach (var query in parameters)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = query.Description,
                Schema = new OpenApiSchema { Type = query.Integer ? JsonSchemaType.Integer : JsonSchemaType.String },
            });
        }
    }

    private static async Task DescribeErrorsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        IReadOnlyList<(int Status, string Code)> errors, CancellationToken ct)
    {
        operation.Responses ??= [];
        IOpenApiSchema? errorSchema = null;
        foreach (var group in errors.GroupBy(e => e.Status, e => e.Code).OrderBy(g => g.Key))
        {
            var description = string.Join(" or ", group) + ": " + ErrorBodies.MessageOf(group.Key);
            var status = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(status, out var existing))
            {
                if (existing is OpenApiResponse response) response.Description = description;
                continue;
            }
            errorSchema ??= await ErrorSchemaAsync(context, ct);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [OpenApiMetadata.Json] = new() { Schema = errorSchema },
                },
            };
        }
    }

    /// <summary>A reference to the shared ErrorBody component, registered by the first operation that needs it.</summary>
    private static async Task<IOpenApiSchema> ErrorSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        const string id = nameof(OpenApiShapes.ErrorBody);
        var schema = await context.GetOrCreateSchemaAsync(typeof(OpenApiShapes.ErrorBody), null, ct);
        if (context.Document is not { } document) return schema;
        if (document.Components?.Schemas?.ContainsKey(id) != true) document.AddComponent(id, schema);
        return new OpenApiSchemaReference(id, document);
    }
}
