// The tests count the process's sockets and threads before and after, and the machine has two cores:
// run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Linux only, as the product is (Unix socket files, their modes, /proc).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
