using Traces.LocalServer.Hosting;

// Standalone entry point (also the `traces-server` dotnet tool):
//   dotnet run --project src/Traces.LocalServer -- --urls http://127.0.0.1:5080 --data ./traces-data
return await ServerTool.RunAsync(args, Console.Out, Console.Error);
