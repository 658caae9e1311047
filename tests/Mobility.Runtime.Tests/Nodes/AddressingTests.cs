using Mobility.Cluster;
using Mobility.Nodes;
using Mobility.Processes;

namespace Mobility.Tests.Nodes;

/// <summary>Peer addresses and routes are typed values: code branches on their kind, never on the text of a name.</summary>
public sealed class AddressingTests
{
    [Theory]
    [InlineData("b", "Member")]
    [InlineData("tcp://localhost:1806", "DialledLink")]
    [InlineData("link:x#3", "AcceptedLink")]
    [InlineData("tcp://no-port", "AcceptedLink")]
    [InlineData("tcp://host:0", "AcceptedLink")]
    [InlineData("tcp://host:99999", "AcceptedLink")]
    public void A_name_is_read_once_into_its_kind(string name, string kind)
    {
        var address = PeerAddress.Parse(name);

        Assert.Equal(kind, address.Kind.ToString());
        Assert.Equal(name, address.Name);
        Assert.Equal(kind != "Member", address.IsLink);
    }

    [Fact]
    public void A_dialled_link_keeps_where_to_dial_it_again()
    {
        var address = PeerAddress.Parse("tcp://10.0.0.7:1806");

        Assert.Equal(("10.0.0.7", 1806), (address.Host, address.Port));
        Assert.Equal(PeerAddress.Dialled("10.0.0.7", 1806), address);
        Assert.Equal("link:x#3", PeerAddress.Accepted("x", 3).Name);
    }

    [Fact]
    public void A_hint_never_overrides_a_process_running_here_nor_a_stop()
    {
        var route = new Route(ProcessId.New());
        route.Heard(PeerAddress.Member("b"));
        Assert.Equal(PeerAddress.Member("b"), route.Node);

        route.MarkStopped();
        route.Heard(PeerAddress.Member("c"));

        Assert.True(route.Stopped);
        Assert.Null(route.Node);
    }

    [Fact]
    public void A_process_that_left_is_forwarded_to_where_it_went()
    {
        var route = new Route(ProcessId.New());

        route.LivesOn(PeerAddress.Dialled("localhost", 1806));

        var endpoint = Assert.IsType<PeerEndpoint>(route.Endpoint);
        Assert.True(endpoint.Address.IsLink);
        Assert.Null(route.Local);
        Assert.False(route.Stopped);
    }

    [Fact]
    public void Origins_carry_their_node()
    {
        var origin = Origin.New("node-a");

        Assert.Equal("node-a", Origin.NodeOf(origin));
        Assert.NotEqual(origin, Origin.New("node-a"));
        Assert.Null(Origin.NodeOf("no-hash"));
    }
}
