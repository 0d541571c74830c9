// The tests count the process's sockets and threads before and after, and the machine has two cores:
// run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
