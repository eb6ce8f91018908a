use tactful::{Analyzer, Role, Scratch, Transcript, Turn};
const SHORT_REPLY: &str = "Hi Dana, I'm sorry, but per our policy we cannot refund opened items. \
You will need to submit a new ticket with the returns team, who can look at an exchange. \
Due to high demand this may take a few days. Thanks for your patience!";
fn main() {
    let analyzer = Analyzer::new();
    let reply = Transcript::new("r").with_turn(Turn::new(Role::Agent, SHORT_REPLY));
    let mut n = 0;
    let mut sc = Scratch::default();
    for _ in 0..20_000 {
        n += analyzer.analyze_with(&reply, &mut sc).findings.len();
    }
    println!("{n}");
}
