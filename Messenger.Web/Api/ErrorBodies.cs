using Messenger.Messages.Chat;
using Microsoft.AspNetCore.Diagnostics;

namespace Messenger.Web.Api;

/// <summary>
/// Gives every error status the app produces the contract's {"code","message"} body, whoever set the status: routing's
/// 404/405, the framework's 400/411/413/415, a request body that fails to read, an exception (never a 500: the
/// contract has no such answer, so an unexpected failure is <c>unavailable</c>). Endpoints need no patches of their own.
/// </summary>
public static class ErrorBodies
{
    public static string CodeOf(int status) => status switch
    {
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        413 => ErrorCodes.TooLarge,
        429 => ErrorCodes.RateLimited,
        505 => ErrorCodes.InvalidRequest,
        >= 500 => ErrorCodes.Unavailable,
        _ => ErrorCodes.InvalidRequest,
    };

    public static string MessageOf(int status) => status switch
    {
        400 => "the request is malformed",
        401 => "a valid bearer token is required",
        403 => "not allowed",
        404 => "no such resource",
        405 => "this method is not allowed on this path",
        408 => "the request took too long to arrive",
        411 => "a Content-Length is required",
        413 => "request body is too large",
        414 => "the request target is too long",
        415 => "unsupported content type",
        429 => "too many requests; slow down",
        431 => "the request headers are too large",
        505 => "only HTTP/1.1 and HTTP/2 are spoken here",
        >= 500 => "the messenger could not answer; retry",
        _ => "the request is not acceptable",
    };

    public static IApplicationBuilder UseContractErrorBodies(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var status = failure is BadHttpRequestException bad ? bad.StatusCode : 503;
                if (status == 500) status = 503;
                await Write(context, status);
            },
        });
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            if (context.Response.StatusCode == 500) context.Response.StatusCode = 503;
            await Write(context, context.Response.StatusCode);
        });
        return app;
    }

    private static Task Write(HttpContext context, int status)
    {
        if (context.Response.HasStarted) return Task.CompletedTask;
        return ApiResults.Error(status, CodeOf(status), MessageOf(status)).ExecuteAsync(context);
    }
}
