using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mobility.Processes;
using Mobility.Transport;

namespace Mobility.Transport.Tests.Support;

/// <summary>
/// Two connections joined by a real loopback socket, built without a handshake, so that a test can look at a
/// <see cref="PeerConnection"/> before it starts (queueing, backpressure, batching).
/// </summary>
internal static class SocketPair
{
    public static async Task<(PeerConnection Near, PeerConnection Far)> CreateAsync(TransportOptions nearOptions, TransportOptions farOptions)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepting = listener.AcceptSocketAsync();
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connecting.ConnectAsync(listener.LocalEndpoint).WithDeadline();
        Socket accepted = await accepting.WithDeadline();

        var near = new PeerConnection(
            new SocketPipe(connecting), new HandshakeResult(farOptions.NodeName, ConnectionPurpose.Cluster), nearOptions, nearOptions.LoggerFactory.CreateLogger(TransportLog.Category));
        var far = new PeerConnection(
            new SocketPipe(accepted), new HandshakeResult(nearOptions.NodeName, ConnectionPurpose.Cluster), farOptions, farOptions.LoggerFactory.CreateLogger(TransportLog.Category));
        return (near, far);
    }
}
