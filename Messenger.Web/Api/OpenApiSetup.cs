using Messenger.Messages.Chat;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Messenger.Web.Api;

/// <summary>
/// GET /openapi/v1.json: the OpenAPI 3.0 document ASP.NET Core generates from the mapped endpoints and their metadata
/// (OpenApiMetadata), completed by OpenApiOperations (security, error responses, query parameters) and OpenApiSchemas
/// (required fields). Served in every environment, without a token and outside every rate limit.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddMessengerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // 3.0 rather than the default 3.1: every client generator in use reads 3.0; 3.1 support is still partial.
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Messenger",
                    Version = DocumentName,
                    Description = "The Messenger client API (HTTP part). Errors are {\"code\",\"message\"} with the codes " +
                                  "named in each response's description. Real-time delivery is the WebSocket at GET /ws " +
                                  "(token as ?access_token=), described in the README.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(OpenApiOperations.TransformAsync);
            options.AddSchemaTransformer(OpenApiSchemas.TransformAsync);
        });

    /// <summary>
    /// Only the one document name is mapped, so any other path under /openapi is routing's contract 404. The framework
    /// leaves its own document endpoint out of the document; this one is described like every other endpoint.
    /// </summary>
    public static IEndpointConventionBuilder MapMessengerOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(DocumentPath)
            .AllowAnonymous()
            .DisableRateLimiting()
            // The framework handler would answer another ?documentName= with a plain-text 404.
            .AddEndpointFilter((context, next) => context.HttpContext.Request.Query.ContainsKey("documentName")
                ? ValueTask.FromResult<object?>(ApiResults.Error(ErrorCodes.NotFound, "there is one API description: " + DocumentPath))
                : next(context))
            .WithMetadata(new IncludedInDescription())
            .WithMetadata(new ProducesResponseTypeMetadata(200, typeof(object), [OpenApiMetadata.Json]))
            .Describe("GetApiDescription", "This OpenAPI document", "api-description")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The framework handler's optional documentName argument is not a parameter of this fixed path.
                operation.Parameters?.Clear();
                return Task.CompletedTask;
            });

    /// <summary>Overrides the framework's exclusion of its document endpoint (the last metadata of a kind wins).</summary>
    private sealed class IncludedInDescription : Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata
    {
        public bool ExcludeFromDescription => false;
    }
}
