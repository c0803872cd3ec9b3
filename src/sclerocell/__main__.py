from sclerocell.cli import main

main()
