using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Messenger.Web.Api;

/// <summary>
/// The error codes an endpoint can answer (besides those every endpoint of its kind can: see OpenApiOperations),
/// read by the document to describe each error response with its codes.
/// </summary>
public sealed record ContractErrors(IReadOnlyList<string> Codes, int? Status = null)
{
    /// <summary>The status these codes are answered with: the code's usual one unless told.</summary>
    public int StatusOf(string code) => Status ?? ApiResults.StatusOf(code);
}

/// <summary>An optional query parameter that a handler reads from the request itself.</summary>
public sealed record QueryParameter(string Name, string Description, bool Integer);

/// <summary>
/// One-line OpenAPI descriptions for endpoint definitions, so every *Endpoints.cs file describes its routes with a
/// short chain: <c>.Describe("SendMessage", "Send a message", "messages").Takes&lt;SendBody&gt;().Answers&lt;Sent&gt;()
/// .Fails(ErrorCodes.InvalidRequest, ErrorCodes.NotFound)</c>. Handlers that read and write JSON by hand need this;
/// the generator sees only their HttpContext. Each works on RouteHandlerBuilder and on the plain builder that a
/// RequestDelegate handler (<c>MapGet(path, (HttpContext c) =&gt; ...)</c>) returns.
/// </summary>
public static class OpenApiMetadata
{
    public const string Json = "application/json";

    /// <summary>The operation id (unique, PascalCase), a one-line summary and the tag that groups it.</summary>
    public static TBuilder Describe<TBuilder>(this TBuilder builder, string name, string summary, string tag)
        where TBuilder : IEndpointConventionBuilder
    {
        // The generator describes only endpoints whose handler method it knows; a RequestDelegate handler's
        // endpoint carries none, so it is named here (its only parameter, the HttpContext, is not a request input).
        builder.Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<MethodInfo>().Any() && endpoint.RequestDelegate is { } handler)
                endpoint.Metadata.Add(handler.Method);
        });
        return builder.WithName(name).WithSummary(summary).WithTags(tag);
    }

    /// <summary>The JSON request body the handler reads itself.</summary>
    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new AcceptsMetadata([Json], typeof(TBody)));

    /// <inheritdoc cref="Takes{TBody}(RouteHandlerBuilder)"/>
    public static IEndpointConventionBuilder Takes<TBody>(this IEndpointConventionBuilder builder) =>
        builder.WithMetadata(new AcceptsMetadata([Json], typeof(TBody)));

    /// <summary>A request body of raw bytes (any content type), such as an upload.</summary>
    public static TBuilder TakesBytes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AcceptsMetadata(["application/octet-stream", "*/*"], typeof(Stream)));

    /// <summary>The JSON answer on success (200 unless told).</summary>
    public static RouteHandlerBuilder Answers<TAnswer>(this RouteHandlerBuilder builder, int status = 200) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TAnswer), [Json]));

    /// <inheritdoc cref="Answers{TAnswer}(RouteHandlerBuilder, int)"/>
    public static IEndpointConventionBuilder Answers<TAnswer>(this IEndpointConventionBuilder builder, int status = 200) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TAnswer), [Json]));

    /// <summary>
    /// An answer of raw bytes (a file), of the content types named; application/octet-stream when none (answer
    /// metadata takes no wildcard: the file's own type is named in the summary).
    /// </summary>
    public static TBuilder AnswersFile<TBuilder>(this TBuilder builder, int status, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Stream),
            contentTypes.Length == 0 ? ["application/octet-stream"] : contentTypes));

    /// <summary>A success without a body (204 unless told).</summary>
    public static TBuilder AnswersEmpty<TBuilder>(this TBuilder builder, int status = 204) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void)));

    /// <summary>
    /// The contract error codes this endpoint can answer, each as its status with the {"code","message"} body.
    /// 401 for endpoints that need a token, 429 behind a rate limit and 503 for all are added by the document itself.
    /// </summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in codes.Select(ApiResults.StatusOf).Distinct())
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(OpenApiShapes.ErrorBody), [Json]));
        return builder.WithMetadata(new ContractErrors(codes));
    }

    /// <summary>Contract error codes answered with a status that is not their usual one (416 is invalid_request).</summary>
    public static TBuilder FailsAs<TBuilder>(this TBuilder builder, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(OpenApiShapes.ErrorBody), [Json]))
            .WithMetadata(new ContractErrors(codes, status));

    /// <summary>A query parameter the handler reads itself (always optional here: each has a default).</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, string name, string description, bool integer = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryParameter(name, description, integer));
}
