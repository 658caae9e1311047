#!/usr/bin/env bash
# The seed's tcpNodeA.sh: a one-node cluster "a" on port 1805 that also runs the mobility TCP server.
# Type: spawn, add 5, send-me tcp localhost 1806, state (answered from the other cluster), send-me ... back.
cd "$(dirname "$0")/.." && exec dotnet run --project samples/Mobility.Example -- --node a --port 1805 --cookie cluster-a --migration-secret mobility-example-tcp
