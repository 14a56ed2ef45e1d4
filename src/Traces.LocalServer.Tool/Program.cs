using Traces.LocalServer.Tool;

// Standalone entry point (also the `traces-server` dotnet tool):
//   dotnet run --project src/Traces.LocalServer.Tool -- --urls http://127.0.0.1:5080 --data ./traces-data
return await ServerTool.RunAsync(args, Console.Out, Console.Error);
