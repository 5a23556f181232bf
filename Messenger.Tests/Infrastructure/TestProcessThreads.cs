using System.Runtime.CompilerServices;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// One test process hosts many actor systems and in-process servers at once, and TestKit's expectations block a
/// thread while they wait. On 2 cores the thread pool starts with 2 threads and adds about one every half second, so
/// a few blocked waits could hold every actor system in the process for seconds (Ask timeouts in unrelated specs).
/// Start with enough threads that a blocked wait never starves the others.
/// </summary>
internal static class TestProcessThreads
{
    [ModuleInitializer]
    internal static void StartWithEnoughThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var io);
        ThreadPool.SetMinThreads(Math.Max(worker, 64), Math.Max(io, 64));
    }
}
