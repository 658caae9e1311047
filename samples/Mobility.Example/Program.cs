using System.Net;
using Mobility.Example;

// With no arguments: the seed's quick starts in one OS process (a two-node cluster, a process moving a -> b -> a,
// then out of the cluster over TCP to a node of another cluster and back).
// With --node: one node of a cluster, driven from a prompt (the seed's two-terminal quick start):
//   dotnet run --project samples/Mobility.Example -- --node a --port 1805
//   dotnet run --project samples/Mobility.Example -- --node b --port 1806 --join 127.0.0.1:1805
if (args.Length == 0)
{
    await TwoNodeDemo.RunAsync(Console.Out);
    return 0;
}

if (!NodeArguments.TryParse(args, out var node, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine("usage: Mobility.Example [--node NAME --port PORT [--join HOST:PORT] [--cookie COOKIE] [--migration-secret SECRET]]");
    return 2;
}

await NodeConsole.RunAsync(node, Console.In, Console.Out);
return 0;

/// <summary>The command line of one interactive node.</summary>
internal sealed record NodeArguments(string Name, int Port, DnsEndPoint? Join, string Cookie, string MigrationSecret)
{
    public static bool TryParse(string[] args, out NodeArguments parsed, out string error)
    {
        parsed = new NodeArguments("a", 1805, null, "mobility-example", "mobility-example-tcp");
        error = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--node" when value is not null:
                    parsed = parsed with { Name = value };
                    break;
                case "--port" when int.TryParse(value, out var port) && port is >= 0 and <= 65535:
                    parsed = parsed with { Port = port };
                    break;
                case "--join" when value is not null && value.LastIndexOf(':') is > 0 and var colon && int.TryParse(value[(colon + 1)..], out var joinPort):
                    parsed = parsed with { Join = new DnsEndPoint(value[..colon], joinPort) };
                    break;
                case "--cookie" when value is not null:
                    parsed = parsed with { Cookie = value };
                    break;
                case "--migration-secret" when value is not null:
                    parsed = parsed with { MigrationSecret = value };
                    break;
                default:
                    error = $"cannot understand '{args[i]}{(value is null ? string.Empty : " " + value)}'";
                    return false;
            }

            i++;
        }

        return true;
    }
}
