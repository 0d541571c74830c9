using System.IO.MemoryMappedFiles;
using System.IO.Pipes;
using System.Net.Sockets;
using ShmIpc.Harness.Protocol;
using ShmIpc.Harness.Tests.Child.Measurement;

namespace ShmIpc.Harness.Tests.Protocol;

/// <summary>Counts this test process's own resources: alone, so no other test opens or closes one meanwhile.</summary>
[Collection(ProcessWideMeasurementCollection.Name)]
public sealed class ChildResourcesTests
{
    [Fact]
    public void Snapshot_CountsASocketWhileItIsOpen_AndNotOnceItIsDisposed()
    {
        ChildResources before = ChildResources.Snapshot();
        ChildResources during;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            during = ChildResources.Snapshot();
        }
        ChildResources after = ChildResources.Snapshot();
        Assert.True(during.Sockets == before.Sockets + 1, $"before {before}, during {during}");
        Assert.True(after.Sockets == before.Sockets, $"before {before}, after {after}");
        Assert.True(during.FileDescriptors > during.Sockets && during.Threads > 0 && during.HeapBytes > 0, $"{during}");
    }

    [Fact]
    public void Snapshot_CountsAMappingOfADevShmFile_AndNotOnceItIsUnmapped()
    {
        string path = $"/dev/shm/shmipc-harness-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            ChildResources before = ChildResources.Snapshot();
            ChildResources during;
            using (var file = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, mapName: null, capacity: 4096))
            using (MemoryMappedViewAccessor view = file.CreateViewAccessor())
            {
                view.Write(0, 42L);
                during = ChildResources.Snapshot();
            }
            ChildResources after = ChildResources.Snapshot();
            Assert.True(during.ShmMappings == before.ShmMappings + 1, $"before {before}, during {during}");
            Assert.True(after.ShmMappings == before.ShmMappings, $"before {before}, after {after}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Snapshot_CountsAPipe_AsTheRuntimes_NotAsOneTheCodeOpened()
    {
        ChildResources before = ChildResources.Snapshot();
        ChildResources during;
        using (var pipe = new AnonymousPipeServerStream(PipeDirection.Out))
        {
            during = ChildResources.Snapshot();
        }
        // Both ends (the server's and the handle kept for a client) are pipe descriptors.
        Assert.True(during.RuntimeFileDescriptors == before.RuntimeFileDescriptors + 2, $"before {before}, during {during}");
        Assert.True(during.OtherFileDescriptors == before.OtherFileDescriptors, $"before {before}, during {during}");
    }

    [Fact]
    public void Snapshot_CountsTheAssembliesTheRuntimeHoldsOpen_ApartFromTheOthers()
    {
        ChildResources now = ChildResources.Snapshot();
        // This test's own assembly at least is loaded from a file it keeps open.
        Assert.True(now.AssemblyFileDescriptors > 0 && now.AssemblyFileDescriptors < now.FileDescriptors, $"{now}");
        Assert.Equal(now.FileDescriptors - now.AssemblyFileDescriptors - now.RuntimeFileDescriptors, now.OtherFileDescriptors);
    }
}
