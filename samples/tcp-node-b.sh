#!/usr/bin/env bash
# The seed's tcpNodeB.sh: a separate one-node cluster "b" on port 1806 running the mobility TCP server.
# The process arrives here from cluster a; move it back from a with: send-me tcp localhost 1805
cd "$(dirname "$0")/.." && exec dotnet run --project samples/Mobility.Example -- --node b --port 1806 --cookie cluster-b --migration-secret mobility-example-tcp
