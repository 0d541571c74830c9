namespace ShmIpc.NetTransports.Tests;

/// <summary>What a contract subscriber hands the test for each message: the sequence it carries, and whether its content is the one sent.</summary>
internal delegate void MessageHandler(long sequence, bool intact);
