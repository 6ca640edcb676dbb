"""BLEU rewards under torch.distributed: the REINFORCE loop of
bleu_rewards.py with the batch split over processes (gloo, CPU).

Each rank samples its share of the batch, scores it with sdp.bleu in its own
process (each process loads the compiled module from sdp's on-disk cache
after the first), and DistributedDataParallel all-reduces the gradients;
the mean reward is all-reduced for the log.

    PYTHONPATH=build/python torchrun --standalone --nproc_per_node=2 \\
        examples/python/ddp_bleu_rewards.py [--steps 300]
"""

import argparse

import torch
import torch.distributed as dist

import sdp


class Policy(torch.nn.Module):
    """Independent logits per position over the vocabulary."""

    def __init__(self, length, vocab):
        super().__init__()
        self.logits = torch.nn.Parameter(torch.zeros(length, vocab))

    def forward(self, batch):
        probs = torch.softmax(self.logits, -1)
        samples = torch.multinomial(probs.repeat(batch, 1).detach(), 1).view(
            batch, -1).clamp(min=1)
        log_p = torch.log_softmax(self.logits, -1).gather(
            1, samples.t()).t().sum(1)
        return samples, log_p


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64,
                        help="global batch, split evenly over the ranks")
    parser.add_argument("--length", type=int, default=16)
    parser.add_argument("--vocab", type=int, default=50)
    args = parser.parse_args()

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    local_batch = args.batch // world
    # The same hidden target on every rank; each rank its own references.
    target = torch.randint(1, args.vocab, (args.length,),
                           generator=torch.Generator().manual_seed(0))
    torch.manual_seed(1 + rank)
    noise = torch.rand(local_batch, args.length) < 0.1
    references = torch.where(
        noise, torch.randint(1, args.vocab, (local_batch, args.length)),
        target.expand(local_batch, -1))

    policy = torch.nn.parallel.DistributedDataParallel(
        Policy(args.length, args.vocab))
    optimizer = torch.optim.Adam(policy.parameters(), lr=0.1)
    baseline, first = 0.0, None
    report_every = max(args.steps // 6, 1)
    for step in range(1, args.steps + 1):
        samples, log_p = policy(local_batch)
        rewards = sdp.bleu(samples, references)  # this rank's [B / world]
        loss = -((rewards - baseline).float() * log_p).mean()
        optimizer.zero_grad()
        loss.backward()  # DDP all-reduces the gradients
        optimizer.step()
        mean = rewards.mean().reshape(1)
        dist.all_reduce(mean)
        mean = mean.item() / world
        baseline = 0.9 * baseline + 0.1 * mean
        first = mean if first is None else first
        if rank == 0 and (step % report_every == 0 or step == 1):
            print(f"step {step:4d}  mean BLEU reward over {world} ranks "
                  f"{mean:.4f}", flush=True)
    if rank == 0:
        print(f"mean reward {first:.4f} -> {mean:.4f} ({world} processes)")
    # DDP's tensors go before the process group: torch 1.13 can deadlock
    # when the group is torn down while a gradient hook still holds them.
    del policy, optimizer, samples, log_p, loss
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
