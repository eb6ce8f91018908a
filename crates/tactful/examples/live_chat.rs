//! Live chat: analyze each message as it arrives.
//!
//! Run: `cargo run -p tactful --example live_chat`

use tactful::{Analyzer, Conversation, Role};

fn main() {
    let analyzer = Analyzer::new();
    let mut chat = Conversation::new(&analyzer);
    let messages = [
        (
            Role::Customer,
            "Third time I'm writing about my refund, this is ridiculous!!",
        ),
        (Role::Agent, "Please send your order number."),
        (Role::Customer, "It's 44120."),
        (
            Role::Agent,
            "Thanks. I understand how frustrating this is; I've refunded it now.",
        ),
    ];
    for (role, text) in messages {
        println!("{role}: {text}");
        for f in chat.push(role, text) {
            println!("    -> {} (turn {})", f.rule, f.turn);
        }
    }
    for f in chat.finish() {
        println!("    -> {} (turn {})", f.rule, f.turn);
    }
    println!("score {}/100", chat.report().score.total);
}
