using System.Net;
using System.Net.Sockets;

namespace Messenger.Tests.Infrastructure;

/// <summary>
/// A cuttable TCP forwarder on 127.0.0.1 for outage tests: a node that reaches its database through it loses the
/// database alone (the others keep theirs). <see cref="Cut"/> resets every connection through it and refuses new ones
/// (the listener closes, so connects fail at once as with a dead server); <see cref="Restore"/> listens again on the same
/// port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly object _gate = new();
    private readonly List<TcpClient> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;

    public TcpProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        StartAccepting(_listener);
    }

    public int Port { get; }
    public bool IsCut { get; private set; }

    /// <summary>Connections forwarded since the proxy started (a node that uses the proxy shows up here).</summary>
    public int Accepted { get; private set; }

    /// <summary>Resets every open connection and stops listening: new connections are refused.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            IsCut = true;
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections) Reset(connection);
            _connections.Clear();
        }
    }

    /// <summary>Listens on the same port again and forwards new connections.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (!IsCut) return;
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            IsCut = false;
            StartAccepting(listener);
        }
    }

    private void StartAccepting(TcpListener listener)
    {
        _accepting = new CancellationTokenSource();
        var stop = _accepting.Token;
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = ForwardAsync(client);
            }
        });
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_gate)
        {
            if (IsCut)
            {
                Reset(client);
                server.Dispose();
                return;
            }
            Accepted++;
            _connections.Add(client);
            _connections.Add(server);
        }
        try
        {
            await server.ConnectAsync(_target);
            client.NoDelay = server.NoDelay = true;
            // Either direction ending (or the cut) ends both.
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
                _connections.Remove(server);
            }
            Reset(client);
            Reset(server);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        var source = from.GetStream();
        var sink = to.GetStream();
        while (true)
        {
            var read = await source.ReadAsync(buffer);
            if (read == 0) return;
            await sink.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    /// <summary>Closes with RST (linger 0), as a connection the network lost: the other side's next read fails.</summary>
    private static void Reset(TcpClient connection)
    {
        try
        {
            connection.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        connection.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
