using Mobility.Transport;

namespace Mobility.Transport.Tests;

public sealed class SmallBufferPoolTests
{
    [Fact]
    public void A_returned_buffer_is_handed_out_again_instead_of_a_new_one()
    {
        var pool = new SmallBufferPool(capacity: 4);
        var first = pool.Rent(100);

        pool.Return(first);

        Assert.Same(first, pool.Rent(SmallBufferPool.BufferSize));
    }

    [Fact]
    public void The_pool_keeps_at_most_its_capacity()
    {
        var pool = new SmallBufferPool(capacity: 2);
        var buffers = Enumerable.Range(0, 3).Select(_ => pool.Rent(10)).ToList();

        buffers.ForEach(pool.Return);

        var again = Enumerable.Range(0, 3).Select(_ => pool.Rent(10)).ToList();
        Assert.Equal(2, again.Count(buffer => buffers.Contains(buffer)));
    }

    [Fact]
    public void A_request_larger_than_its_buffers_gets_a_large_enough_array()
    {
        var pool = new SmallBufferPool(capacity: 2);

        var large = pool.Rent(SmallBufferPool.BufferSize + 1);

        Assert.True(large.Length > SmallBufferPool.BufferSize);
        pool.Return(large); // goes back to the shared pool, not this one
        Assert.NotSame(large, pool.Rent(10));
    }
}
