namespace Messenger.Web.Api;

/// <summary>
/// The error codes an endpoint can answer (besides those every endpoint of its kind can: see OpenApiOperations),
/// read by the document to describe each error response with its codes.
/// </summary>
public sealed record ContractErrors(IReadOnlyList<string> Codes);

/// <summary>An optional query parameter that a handler reads from the request itself.</summary>
public sealed record QueryParameter(string Name, string Description, bool Integer);

/// <summary>
/// One-line OpenAPI descriptions for endpoint definitions, so every *Endpoints.cs file describes its routes with a
/// short chain: <c>.Describe("SendMessage", "Send a message", "messages").Takes&lt;SendBody&gt;().Answers&lt;Sent&gt;()
/// .Fails(ErrorCodes.InvalidRequest, ErrorCodes.NotFound)</c>. Handlers that read and write JSON by hand need this;
/// the generator sees only their HttpContext.
/// </summary>
public static class OpenApiMetadata
{
    public const string Json = "application/json";

    /// <summary>The operation id (unique, PascalCase), a one-line summary and the tag that groups it.</summary>
    public static TBuilder Describe<TBuilder>(this TBuilder builder, string name, string summary, string tag)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithName(name).WithSummary(summary).WithTags(tag);

    /// <summary>The JSON request body the handler reads itself.</summary>
    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder builder) where TBody : notnull =>
        builder.Accepts<TBody>(Json);

    /// <summary>A request body of raw bytes (any content type), such as an upload.</summary>
    public static RouteHandlerBuilder TakesBytes(this RouteHandlerBuilder builder) =>
        builder.Accepts<Stream>("application/octet-stream", "*/*");

    /// <summary>The JSON answer on success (200 unless told).</summary>
    public static RouteHandlerBuilder Answers<TAnswer>(this RouteHandlerBuilder builder, int status = 200) =>
        builder.Produces<TAnswer>(status, Json);

    /// <summary>A success without a body (204 unless told).</summary>
    public static RouteHandlerBuilder AnswersEmpty(this RouteHandlerBuilder builder, int status = 204) =>
        builder.Produces(status);

    /// <summary>
    /// The contract error codes this endpoint can answer, each as its status with the {"code","message"} body.
    /// 401 for endpoints that need a token and 503 for all are added by the document itself.
    /// </summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder builder, params string[] codes)
    {
        foreach (var status in codes.Select(ApiResults.StatusOf).Distinct())
            builder.Produces<OpenApiShapes.ErrorBody>(status, Json);
        return builder.WithMetadata(new ContractErrors(codes));
    }

    /// <summary>A query parameter the handler reads itself (always optional here: each has a default).</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, string name, string description,
        bool integer = true) =>
        builder.WithMetadata(new QueryParameter(name, description, integer));
}
